package io.beeperkeeper.config;

/**
 * Settings of the media relay shared by all cameras.
 *
 * @param ffmpeg               the ffmpeg executable (name on PATH or absolute path)
 * @param hangSeconds          a live camera process that sends no frame for this long is restarted
 * @param firstFrameSeconds    a camera process that has sent no frame this long after it started is
 *                             restarted; longer than {@code hangSeconds}, because a slow machine (a Pi
 *                             starting libx264, a camera warming up) takes seconds to its first frame
 * @param maxRestartSeconds    restart backoff starts at 1 s and doubles up to this
 * @param noReorderSps         rewrite the SPS the browser sees to max_num_reorder_frames=0 (only for
 *                             streams without B-frames); saves up to a DPB of frames in Chrome
 * @param viewerQueueFrames    frames a viewer may lag before it skips to the next keyframe
 * @param writeDeadlineSeconds a viewer whose socket accepts nothing for this long is disconnected
 * @param maxViewers           WebSocket viewers per camera; more get a clear refusal
 * @param maxConnectsPerSecond new WebSocket connections one client address may open per second (a
 *                             burst of as many is allowed); more get 429. A page opens one per camera.
 */
public record MediaConfig(String ffmpeg, double hangSeconds, double firstFrameSeconds, double maxRestartSeconds, boolean noReorderSps,
                          int viewerQueueFrames, double writeDeadlineSeconds, int maxViewers,
                          int maxConnectsPerSecond) {
    public MediaConfig {
        ConfigException.require(ffmpeg != null && !ffmpeg.isBlank(), "media.ffmpeg", ffmpeg, "the ffmpeg command, e.g. ffmpeg or /usr/bin/ffmpeg");
        ConfigException.require(hangSeconds >= 1 && hangSeconds <= 300, "media.hangSeconds", hangSeconds, "seconds, 1-300");
        ConfigException.require(firstFrameSeconds >= 1 && firstFrameSeconds <= 600, "media.firstFrameSeconds", firstFrameSeconds, "seconds, 1-600");
        ConfigException.require(maxRestartSeconds >= 1 && maxRestartSeconds <= 3600, "media.maxRestartSeconds", maxRestartSeconds, "seconds, 1-3600");
        ConfigException.require(viewerQueueFrames >= 4 && viewerQueueFrames <= 2000, "media.viewerQueueFrames", viewerQueueFrames, "frames, 4-2000");
        ConfigException.require(writeDeadlineSeconds >= 0.5 && writeDeadlineSeconds <= 120, "media.writeDeadlineSeconds", writeDeadlineSeconds, "seconds, 0.5-120");
        ConfigException.require(maxConnectsPerSecond >= 1 && maxConnectsPerSecond <= 100_000, "media.maxConnectsPerSecond",
                maxConnectsPerSecond, "connections per client address per second, 1-100000");
        ConfigException.require(maxViewers >= 1 && maxViewers <= 10_000, "media.maxViewers", maxViewers, "viewers per camera, 1-10000");
    }

    public static MediaConfig defaults() {
        return new MediaConfig("ffmpeg", 5, 20, 30, true, 90, 10, 200, 20);
    }
}

package io.beeperkeeper.media.hls;

/**
 * One track's timestamps for LL-HLS, smoothed so a browser never sees a gap in it. Frames are stamped
 * when the hub receives them, and on a busy machine they come in bursts: a picture 150 ms late is,
 * for Media Source Extensions, a discontinuity (a decode time more than two frame durations after the
 * previous one), after which the browser drops every picture until the next keyframe, and the hole
 * stalls playback. Here each frame starts where its predecessor ended, moved towards its arrival time
 * by at most half a frame, so consecutive stamps are 0.5-1.5 frame durations apart and the timeline
 * follows arrival within a few frames. Only a frame allowed to open a gap (a keyframe, which needs
 * nothing before it) jumps ahead to its arrival time, and only when it is more than {@code jumpUs}
 * late (the sound never jumps: {@link LlHlsStream} fills its gaps instead); a timeline ahead of arrival is pulled back half a frame at a time, never jumped
 * back over frames already sent.
 */
final class SmoothedTimeline {
    private final long jumpUs;
    private long nextUs = -1;
    private long lastUs = -1;

    /** @param jumpUs how far a frame that may open a gap must be from the smoothed time for it to jump there */
    SmoothedTimeline(long jumpUs) {
        this.jumpUs = jumpUs;
    }

    /** The time to stamp on a frame that arrived at {@code arrivalUs} and lasts {@code durationUs}. */
    long stamp(long arrivalUs, long durationUs, boolean mayJump) {
        long t;
        long off = arrivalUs - nextUs;
        if (nextUs < 0 || (mayJump && off > jumpUs)) {
            t = arrivalUs;
        } else {
            long half = durationUs / 2;
            t = nextUs + Math.max(-half, Math.min(half, off));
        }
        t = Math.max(t, lastUs + 1);
        lastUs = t;
        nextUs = t + durationUs;
        return t;
    }

    /**
     * How far {@code arrivalUs} lies past where the next frame would start (negative when the timeline is
     * ahead of it, 0 before the first frame): a gap the caller may fill before stamping the frame.
     */
    long behind(long arrivalUs) {
        return nextUs < 0 ? 0 : arrivalUs - nextUs;
    }

    /** Where the next frame starts when it follows on without a gap, or -1 before the first frame. */
    long next() {
        return nextUs;
    }

    /** Starts afresh (new tracks): the next frame is stamped with its arrival time. */
    void reset() {
        nextUs = -1;
        lastUs = -1;
    }
}

package io.beeperkeeper.config;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Set;

/**
 * One camera under {@code cameras.<name>} in beeper.yaml. Only {@code source} is required; every
 * other key has a default that depends on the source (the seed's settings), filled in by
 * {@link #validated(String)}, which also names the offending key ({@code cameras.csi.fps}) on error.
 *
 * @param source      test (ffmpeg test pattern with the wall clock), rpicam (Pi camera, hardware
 *                    H.264), v4l2 (USB webcam through ffmpeg/libx264), rtsp (IP camera, remuxed)
 * @param audio       none, opus or aac (test: a sine tone; v4l2: ALSA microphone; rtsp: aac = copy
 *                    the camera's AAC track)
 * @param profile     H.264 profile the encoder uses: baseline (default), main or high; never with
 *                    B-frames on the live path
 * @param keyframeSeconds a keyframe (and so a possible start point for a new viewer) every n seconds
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CameraConfig(String source, Integer width, Integer height, Integer fps, Integer bitrateKbps,
                           Double keyframeSeconds, String device, String audio, String audioDevice,
                           Integer audioBitrateKbps, String url, String metadataFifo, String profile) {
    public static final Set<String> PROFILES = Set.of("baseline", "main", "high");
    public static final Set<String> SOURCES = Set.of("test", "rpicam", "v4l2", "rtsp");
    public static final Set<String> AUDIO = Set.of("none", "opus", "aac");

    /** Without an H.264 profile (baseline is used). */
    public CameraConfig(String source, Integer width, Integer height, Integer fps, Integer bitrateKbps, Double keyframeSeconds,
                        String device, String audio, String audioDevice, Integer audioBitrateKbps, String url, String metadataFifo) {
        this(source, width, height, fps, bitrateKbps, keyframeSeconds, device, audio, audioDevice, audioBitrateKbps, url,
                metadataFifo, null);
    }

    public static CameraConfig test(boolean withTone) {
        return new CameraConfig("test", null, null, null, null, null, null, withTone ? "opus" : "none", null, null, null, null)
                .validated("test");
    }

    public boolean hasAudio() {
        return !"none".equals(audio);
    }

    /** A copy with the source's defaults filled in, or a {@link ConfigException} naming the key. */
    public CameraConfig validated(String name) {
        String k = "cameras." + name + ".";
        ConfigException.require(source != null && SOURCES.contains(source), k + "source", source, "test, rpicam, v4l2 or rtsp");
        boolean rpi = source.equals("rpicam");
        boolean v4l2 = source.equals("v4l2");
        int w = or(width, rpi ? 800 : 640);
        int h = or(height, rpi ? 600 : 480);
        int f = or(fps, v4l2 ? 10 : 15);
        int kbps = or(bitrateKbps, rpi ? 1500 : 800);
        double key = keyframeSeconds == null ? 2.0 : keyframeSeconds;
        String a = audio == null ? (v4l2 ? "opus" : "none") : audio;
        ConfigException.require(w >= 16 && w <= 4096 && w % 2 == 0, k + "width", w, "an even number of pixels, 16-4096");
        ConfigException.require(h >= 16 && h <= 4096 && h % 2 == 0, k + "height", h, "an even number of pixels, 16-4096");
        ConfigException.require(f >= 1 && f <= 120, k + "fps", f, "frames per second, 1-120");
        ConfigException.require(kbps >= 50 && kbps <= 50_000, k + "bitrateKbps", kbps, "kbit/s, 50-50000");
        ConfigException.require(key >= 0.2 && key <= 10, k + "keyframeSeconds", key, "seconds between keyframes, 0.2-10 (longer makes new viewers wait)");
        ConfigException.require(AUDIO.contains(a), k + "audio", a, "none, opus or aac");
        ConfigException.require(!rpi || a.equals("none"), k + "audio", a, "none (rpicam-vid has no audio; use a v4l2 camera for a microphone)");
        ConfigException.require(!source.equals("rtsp") || !a.equals("opus"), k + "audio", a, "none or aac (an RTSP camera's audio is copied, never transcoded)");
        int abr = or(audioBitrateKbps, 48);
        ConfigException.require(abr >= 8 && abr <= 512, k + "audioBitrateKbps", abr, "kbit/s, 8-512");
        String dev = device == null ? (v4l2 ? "/dev/video0" : null) : device;
        ConfigException.require(!v4l2 || dev.startsWith("/dev/"), k + "device", dev, "a V4L2 device path such as /dev/video0");
        String adev = audioDevice == null ? "default" : audioDevice;
        ConfigException.require(adev.matches("[A-Za-z0-9:,._=-]+"), k + "audioDevice", adev, "an ALSA device name such as default or hw:1,0");
        if (source.equals("rtsp")) {
            ConfigException.require(url != null && (url.startsWith("rtsp://") || url.startsWith("rtsps://")), k + "url", url,
                    "the camera's stream URL, rtsp://user:password@host:554/path");
        }
        String prof = profile == null ? "baseline" : profile;
        ConfigException.require(PROFILES.contains(prof), k + "profile", prof,
                "baseline, main or high (H.264 profile for rpicam/v4l2/test; baseline decodes everywhere)");
        return new CameraConfig(source, w, h, f, kbps, key, dev, a, adev, abr, url, metadataFifo, prof);
    }

    private static int or(Integer v, int dflt) {
        return v == null ? dflt : v;
    }
}

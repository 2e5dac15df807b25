package io.beeperkeeper.config;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Set;

/**
 * One camera under {@code cameras.<name>} in beeper.yaml. Only {@code source} is required; every
 * other key has a default that depends on the source (the seed's settings), filled in by
 * {@link #validated(String)}, which also names the offending key ({@code cameras.csi.fps}) on error.
 *
 * @param source      test (ffmpeg test pattern with the wall clock), rpicam (Pi camera, hardware
 *                    H.264), v4l2 (USB webcam through ffmpeg/libx264), rtsp (IP camera, remuxed),
 *                    file (a local MP4/MKV with H.264 played in a loop, copied)
 * @param audio       none, opus or aac (test: a sine tone; v4l2: ALSA microphone; rtsp: aac = copy
 *                    the camera's AAC track; file: the file's own AAC or Opus track, found by default)
 * @param profile     H.264 profile the encoder uses: baseline (default), main or high; never with
 *                    B-frames on the live path
 * @param keyframeSeconds a keyframe (and so a possible start point for a new viewer) every n seconds
 * @param file        source file: the video file to play in a loop (checked with ffprobe when the
 *                    config is loaded, see {@link MediaFileProbe})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CameraConfig(String source, Integer width, Integer height, Integer fps, Integer bitrateKbps,
                           Double keyframeSeconds, String device, String audio, String audioDevice,
                           Integer audioBitrateKbps, String url, String metadataFifo, String profile, String file) {
    public static final Set<String> PROFILES = Set.of("baseline", "main", "high");
    public static final Set<String> SOURCES = Set.of("test", "rpicam", "v4l2", "rtsp", "file");
    private static final String SOURCE_LIST = "test, rpicam, v4l2, rtsp or file";

    /** Without a file (every source but file). */
    public CameraConfig(String source, Integer width, Integer height, Integer fps, Integer bitrateKbps, Double keyframeSeconds,
                        String device, String audio, String audioDevice, Integer audioBitrateKbps, String url, String metadataFifo,
                        String profile) {
        this(source, width, height, fps, bitrateKbps, keyframeSeconds, device, audio, audioDevice, audioBitrateKbps, url,
                metadataFifo, profile, null);
    }

    /** A camera playing a video file in a loop, with the file's audio if it has AAC or Opus. */
    public static CameraConfig file(String path) {
        return new CameraConfig("file", null, null, null, null, null, null, null, null, null, null, null, null, path);
    }
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

    /**
     * Whether the hub's ffmpeg encodes this camera's picture with libx264 (test, v4l2), so its frame
     * rate and size can be lowered on a hot CPU. The Pi camera's hardware encoder (rpicam) and the
     * copied streams (rtsp, file) are never re-encoded.
     */
    public boolean softwareEncoded() {
        return "test".equals(source) || "v4l2".equals(source);
    }

    /** A copy with the source's defaults filled in, or a {@link ConfigException} naming the key. */
    public CameraConfig validated(String name) {
        String k = "cameras." + name + ".";
        ConfigException.require(source != null && SOURCES.contains(source), k + "source", source, SOURCE_LIST);
        MediaFileProbe probe = source.equals("file") ? probedFile(k + "file") : null;
        boolean rpi = source.equals("rpicam");
        boolean v4l2 = source.equals("v4l2");
        int w = or(width, probe != null && probe.width() > 0 ? probe.width() : rpi ? 800 : 640);
        int h = or(height, probe != null && probe.height() > 0 ? probe.height() : rpi ? 600 : 480);
        int f = or(fps, probe != null && probe.fps() >= 1 ? (int) Math.min(120, Math.round(probe.fps())) : v4l2 ? 10 : 15);
        int kbps = or(bitrateKbps, rpi ? 1500 : 800);
        double key = keyframeSeconds == null ? 2.0 : keyframeSeconds;
        String a = audio == null ? (v4l2 ? "opus" : source.equals("file") ? fileAudio(probe) : "none") : audio;
        ConfigException.require(w >= 16 && w <= 4096 && w % 2 == 0, k + "width", w, "an even number of pixels, 16-4096");
        ConfigException.require(h >= 16 && h <= 4096 && h % 2 == 0, k + "height", h, "an even number of pixels, 16-4096");
        ConfigException.require(f >= 1 && f <= 120, k + "fps", f, "frames per second, 1-120");
        ConfigException.require(kbps >= 50 && kbps <= 50_000, k + "bitrateKbps", kbps, "kbit/s, 50-50000");
        ConfigException.require(key >= 0.2 && key <= 10, k + "keyframeSeconds", key, "seconds between keyframes, 0.2-10 (longer makes new viewers wait)");
        ConfigException.require(AUDIO.contains(a), k + "audio", a, "none, opus or aac");
        ConfigException.require(!rpi || a.equals("none"), k + "audio", a, "none (rpicam-vid has no audio; use a v4l2 camera for a microphone)");
        ConfigException.require(!source.equals("rtsp") || !a.equals("opus"), k + "audio", a, "none or aac (an RTSP camera's audio is copied, never transcoded)");
        if (source.equals("file") && probe != null && !a.equals("none")) {
            String found = fileAudio(probe);
            ConfigException.require(a.equals(found), k + "audio", a, (found.equals("none") ? "none" : "none or " + found) + " (the audio of " + file
                    + " is " + (probe.audioCodec() == null ? "absent" : probe.audioCodec()) + "; it is copied, never transcoded)");
        }
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
        return new CameraConfig(source, w, h, f, kbps, key, dev, a, adev, abr, url, metadataFifo, prof, file);
    }

    /**
     * The file of a file camera, checked now so a keeper learns at start what to fix: it exists, and
     * (when ffprobe is installed) holds H.264 without reordered frames, the only video the hub relays.
     */
    private MediaFileProbe probedFile(String key) {
        String example = "a local MP4 or MKV file with H.264 video, such as /home/pi/coop.mp4";
        ConfigException.require(file != null && !file.isBlank(), key, file, example);
        java.nio.file.Path path = java.nio.file.Path.of(file);
        ConfigException.require(java.nio.file.Files.isRegularFile(path), key, file, example + " (no such file)");
        ConfigException.require(java.nio.file.Files.isReadable(path), key, file, example + " that the hub's user may read");
        MediaFileProbe probe;
        try {
            probe = MediaFileProbe.probe(path).orElse(null);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, file, example + " (" + e.getMessage() + ")");
        }
        if (probe == null) {
            return null;
        }
        String convert = "; convert it once: ffmpeg -i " + file + " -c:v libx264 -bf 0 -g 30 -c:a copy coop-h264.mp4";
        ConfigException.require(probe.videoCodec() != null, key, file, example + " (it has no video stream)");
        ConfigException.require(probe.videoCodec().equals("h264"), key, file,
                example + " (its video is " + probe.videoCodec() + "; the hub relays H.264 only, never transcoding" + convert + ")");
        ConfigException.require(!probe.reorders(), key, file,
                example + " without B-frames (live players show frames in arrival order" + convert + ")");
        return probe;
    }

    /** The audio a file camera copies by default: the file's AAC or Opus track, else none. */
    private static String fileAudio(MediaFileProbe probe) {
        if (probe == null || probe.audioCodec() == null) {
            return "none";
        }
        return switch (probe.audioCodec()) {
            case "aac" -> "aac";
            case "opus" -> "opus";
            default -> "none";
        };
    }

    private static int or(Integer v, int dflt) {
        return v == null ? dflt : v;
    }
}

package io.beeperkeeper.media.camera;

import io.beeperkeeper.config.CameraConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The external process behind a camera: H.264 Annex B on stdout, and (when the camera has audio)
 * Ogg Opus or ADTS AAC sent by ffmpeg to a loopback TCP port the hub listens on. Two plain
 * byte streams keep each parser trivial and add no muxing delay (an MPEG-TS or Matroska pipe would
 * hold each video frame until the next one starts).
 *
 * @param audioFormat null (no audio), "ogg" (Opus) or "adts" (AAC)
 */
public record CameraCommand(List<String> argv, String audioFormat, String audioMap) {
    /** A command without an audio input that a PCM tap could read. */
    public CameraCommand(List<String> argv, String audioFormat) {
        this(argv, audioFormat, null);
    }

    /**
     * The same process with one more output: the audio input decoded to mono 16-bit PCM at
     * {@link io.beeperkeeper.media.PcmListener#SAMPLE_RATE} Hz, sent to {@code url}. Unchanged when the
     * command has no audio input.
     */
    public CameraCommand withPcmTap(String url) {
        if (audioMap == null) {
            return this;
        }
        List<String> a = new ArrayList<>(argv);
        a.addAll(List.of("-map", audioMap, "-ac", "1", "-ar", String.valueOf(io.beeperkeeper.media.PcmListener.SAMPLE_RATE),
                // Unflushed: ffmpeg sends its 32 kB buffer, about a second of sound, per write, so the
                // meter (whose windows are a second long anyway) wakes the hub once a second, not 40 times.
                "-c:a", "pcm_s16le", "-f", "s16le", "-flush_packets", "0", url));
        return new CameraCommand(List.copyOf(a), audioFormat, audioMap);
    }

    /** A monospaced font keeps the clock readable for OCR (Debian fonts-dejavu-core); else fontconfig's default. */
    static final String FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf";


    /**
     * @param audioUrl where ffmpeg sends audio, e.g. {@code tcp://127.0.0.1:40123}; ignored without audio
     */
    public static CameraCommand build(CameraConfig c, String ffmpeg, String audioUrl) {
        return build(c, ffmpeg, audioUrl, VideoEncoding.of(c));
    }

    /**
     * @param encoding the frame rate and size a software-encoded camera (test, v4l2) is encoded at:
     *                 below the configured ones, the picture is captured as configured and ffmpeg's
     *                 {@code fps} and {@code scale} filters lower it before libx264; the other sources
     *                 ignore it (rpicam's hardware encoder and the copied streams are never touched)
     */
    public static CameraCommand build(CameraConfig c, String ffmpeg, String audioUrl, VideoEncoding encoding) {
        return switch (c.source()) {
            case "test" -> test(c, ffmpeg, audioUrl, encoding);
            case "v4l2" -> v4l2(c, ffmpeg, audioUrl, encoding);
            case "rtsp" -> rtsp(c, ffmpeg, audioUrl);
            case "file" -> file(c, ffmpeg, audioUrl);
            case "rpicam" -> rpicam(c);
            default -> throw new IllegalArgumentException("unknown camera source " + c.source());
        };
    }

    /**
     * ffmpeg testsrc2 with the exact UTC wall clock drawn on each frame: the real-time clock is
     * sampled as the frame passes the filter graph (RTCTIME minus midnight, so {@code %{pts:hms}}
     * prints the time of day), then timestamps are made regular again for the encoder. An offset
     * added to pts instead would lag by ffmpeg's start-up time.
     * <p>
     * With audio, the tone comes from the same filter graph (one input, paced by {@code arealtime}
     * like the picture by {@code realtime}): ffmpeg releases a packet of one input only when every
     * output has caught up with it, so a second, separately paced input would hold each picture
     * until the tone's timeline reached it (about 0.6 s). Lip-sync marker: in the first 100 ms of
     * every UTC second a white square flashes in the bottom right corner and the tone pauses, both
     * keyed to the same wall clock, so a viewer (or a test) sees whether sound and picture agree.
     */
    static CameraCommand test(CameraConfig c, String ffmpeg, String audioUrl) {
        return test(c, ffmpeg, audioUrl, VideoEncoding.of(c));
    }

    static CameraCommand test(CameraConfig c, String ffmpeg, String audioUrl, VideoEncoding encoding) {
        long midnightUs = LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toEpochSecond() * 1_000_000L;
        int fontSize = Math.max(16, c.height() / 10);
        int mark = Math.max(16, c.height() / 8);
        String onMark = "enable='lt(mod(t\\,1)\\,0.1)'";
        String filter = "testsrc2=size=" + c.width() + "x" + c.height() + ":rate=" + c.fps()
                + ",realtime,settb=AVTB,setpts=RTCTIME-" + midnightUs
                + ",drawtext=" + (Files.isReadable(Path.of(FONT)) ? "fontfile=" + FONT + ":" : "") + "fontsize=" + fontSize
                + ":fontcolor=white:box=1:boxcolor=black:boxborderw=6:x=8:y=8:text='%{pts\\:hms}'"
                + markBox(mark, "black", null) + markBox(mark, "white", onMark)
                + ",setpts=N/FRAME_RATE/TB";
        if (c.hasAudio()) {
            // 10 ms audio frames: a picture waits at most one of them in the graph's interleaving.
            filter += "[out0];sine=frequency=440:sample_rate=48000:samples_per_frame=480,arealtime"
                    + ",asettb=AVTB,asetpts=RTCTIME-" + midnightUs
                    + ",volume=volume='gte(mod(t\\,1)\\,0.1)':eval=frame"
                    + ",asetpts=N/SR/TB,asettb=1/48000[out1]";
        }
        List<String> a = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "warning",
                "-f", "lavfi", "-i", filter));
        a.addAll(List.of("-map", "0:v"));
        lowered(a, c, encoding);
        x264(a, c, encoding.fps());
        a.addAll(List.of("-f", "h264", "-flush_packets", "1", "pipe:1"));
        return withAudio(a, c, "0:a", audioUrl);
    }

    /** The lip-sync square, {@code size} pixels, {@code gap} from the bottom right corner. */
    private static String markBox(int size, String color, String enable) {
        int gap = size / 8;
        return ",drawbox=x=iw-" + (size + gap) + ":y=ih-" + (size + gap) + ":w=" + size + ":h=" + size
                + ":color=" + color + ":t=fill" + (enable == null ? "" : ":" + enable);
    }

    /**
     * A USB webcam (YUYV) encoded by libx264 for low delay, with the ALSA microphone if configured.
     * <p>
     * ffmpeg releases a packet of one input only when every output has caught up with it, and by
     * default it starts each input's timestamps at zero on its own: the microphone opens a few hundred
     * milliseconds after the camera, so every picture would wait that long for the sound. Both
     * devices stamp capture times (the camera's kernel timestamps converted from the monotonic clock
     * with {@code -ts mono2abs}, ALSA from the wall clock), and {@code -copyts} keeps them so: a
     * picture then waits at most for the microphone's current period.
     */
    static CameraCommand v4l2(CameraConfig c, String ffmpeg, String audioUrl) {
        return v4l2(c, ffmpeg, audioUrl, VideoEncoding.of(c));
    }

    static CameraCommand v4l2(CameraConfig c, String ffmpeg, String audioUrl, VideoEncoding encoding) {
        List<String> a = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "warning"));
        if (c.hasAudio()) {
            a.add("-copyts");
        }
        a.addAll(List.of("-fflags", "nobuffer", "-f", "v4l2", "-input_format", "yuyv422", "-video_size", c.width() + "x" + c.height(),
                "-framerate", String.valueOf(c.fps())));
        if (c.hasAudio()) {
            a.addAll(List.of("-ts", "mono2abs"));
        }
        a.addAll(List.of("-i", c.device()));
        if (c.hasAudio()) {
            a.addAll(List.of("-fflags", "nobuffer", "-f", "alsa", "-ac", "1", "-ar", "48000", "-i", c.audioDevice()));
        }
        a.addAll(List.of("-map", "0:v", "-pix_fmt", "yuv420p"));
        lowered(a, c, encoding);
        x264(a, c, encoding.fps());
        a.addAll(List.of("-f", "h264", "-flush_packets", "1", "pipe:1"));
        return withAudio(a, c, "1:a", audioUrl);
    }

    /** An IP camera, remuxed without transcoding (its H.264, and its AAC if audio is aac). */
    static CameraCommand rtsp(CameraConfig c, String ffmpeg, String audioUrl) {
        List<String> a = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "warning",
                "-fflags", "nobuffer", "-rtsp_transport", "tcp", "-i", c.url(),
                "-map", "0:v:0", "-c:v", "copy", "-f", "h264", "-flush_packets", "1", "pipe:1"));
        if (c.hasAudio()) {
            a.addAll(List.of("-map", "0:a:0", "-c:a", "copy", "-f", "adts", "-flush_packets", "1", audioUrl));
            return new CameraCommand(List.copyOf(a), "adts", "0:a:0");
        }
        return new CameraCommand(List.copyOf(a), null);
    }

    /**
     * A video file played in a loop at its own pace ({@code -re}), its H.264 (and AAC or Opus) copied
     * as they are. The hub stamps frames as they arrive, so time runs on across the loop point.
     */
    static CameraCommand file(CameraConfig c, String ffmpeg, String audioUrl) {
        List<String> a = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "warning",
                "-stream_loop", "-1", "-re", "-i", c.file(),
                "-map", "0:v:0", "-c:v", "copy", "-f", "h264", "-flush_packets", "1", "pipe:1"));
        if (!c.hasAudio()) {
            return new CameraCommand(List.copyOf(a), null);
        }
        a.addAll(List.of("-map", "0:a:0", "-c:a", "copy"));
        if (c.audio().equals("opus")) {
            a.addAll(List.of("-f", "ogg", "-page_duration", "20000", "-flush_packets", "1", audioUrl));
            return new CameraCommand(List.copyOf(a), "ogg", "0:a:0");
        }
        a.addAll(List.of("-f", "adts", "-flush_packets", "1", audioUrl));
        return new CameraCommand(List.copyOf(a), "adts", "0:a:0");
    }

    /** The Pi camera with its hardware H.264 encoder, headers repeated on every keyframe. */
    static CameraCommand rpicam(CameraConfig c) {
        List<String> a = new ArrayList<>(List.of("rpicam-vid", "-t", "0", "-n", "--codec", "h264", "--inline", "--flush",
                "--width", String.valueOf(c.width()), "--height", String.valueOf(c.height()),
                "--framerate", String.valueOf(c.fps()), "--bitrate", String.valueOf(c.bitrateKbps() * 1000),
                "--intra", String.valueOf(keyint(c)), "--profile", c.profile(), "--level", "4.1"));
        if (c.metadataFifo() != null) {
            a.addAll(List.of("--metadata", c.metadataFifo(), "--metadata-format", "json"));
        }
        a.addAll(List.of("-o", "-"));
        return new CameraCommand(List.copyOf(a), null);
    }

    static int keyint(CameraConfig c) {
        return keyint(c, c.fps());
    }

    /** Frames between keyframes at {@code fps}: a lowered frame rate keeps the keyframe interval in seconds. */
    static int keyint(CameraConfig c, int fps) {
        return Math.max(1, (int) Math.round(fps * c.keyframeSeconds()));
    }

    /**
     * The filters that lower the picture to {@code encoding} (frames dropped first, then scaled), or
     * none when it is the configured one.
     */
    private static void lowered(List<String> a, CameraConfig c, VideoEncoding encoding) {
        List<String> filters = new ArrayList<>();
        if (encoding.fps() != c.fps()) {
            filters.add("fps=" + encoding.fps());
        }
        if (encoding.width() != c.width() || encoding.height() != c.height()) {
            filters.add("scale=" + encoding.width() + ":" + encoding.height());
        }
        if (!filters.isEmpty()) {
            a.addAll(List.of("-vf", String.join(",", filters)));
        }
    }

    private static void x264(List<String> a, CameraConfig c, int fps) {
        int g = keyint(c, fps);
        // ultrafast always yields Constrained Baseline; other profiles need a preset that uses their tools.
        String preset = c.profile().equals("baseline") ? "ultrafast" : "veryfast";
        a.addAll(List.of("-c:v", "libx264", "-preset", preset, "-profile:v", c.profile(), "-tune", "zerolatency", "-bf", "0",
                "-g", String.valueOf(g), "-keyint_min", String.valueOf(g), "-sc_threshold", "0",
                "-b:v", c.bitrateKbps() + "k", "-maxrate", c.bitrateKbps() + "k", "-bufsize", (c.bitrateKbps() / 2) + "k",
                "-flags", "+low_delay"));
    }

    private static CameraCommand withAudio(List<String> a, CameraConfig c, String map, String audioUrl) {
        if (!c.hasAudio()) {
            return new CameraCommand(List.copyOf(a), null);
        }
        a.addAll(List.of("-map", map, "-ac", "1", "-b:a", c.audioBitrateKbps() + "k"));
        if (c.audio().equals("opus")) {
            a.addAll(List.of("-c:a", "libopus", "-application", "lowdelay", "-frame_duration", "20",
                    "-f", "ogg", "-page_duration", "20000", "-flush_packets", "1", audioUrl));
            return new CameraCommand(List.copyOf(a), "ogg", map);
        }
        a.addAll(List.of("-c:a", "aac", "-f", "adts", "-flush_packets", "1", audioUrl));
        return new CameraCommand(List.copyOf(a), "adts", map);
    }
}

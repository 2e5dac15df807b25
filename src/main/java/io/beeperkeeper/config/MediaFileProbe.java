package io.beeperkeeper.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What a video file for a {@code file} camera holds, as ffprobe (from Debian's ffmpeg package, next to
 * the ffmpeg every camera needs) reads it: the first video stream's codec, size, frame rate and
 * whether it reorders frames, and the first audio stream's codec. The camera copies the file's
 * streams without transcoding, so the config refuses a file the hub cannot relay before it is run.
 */
public record MediaFileProbe(String videoCodec, int width, int height, double fps, boolean reorders, String audioCodec) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Probes the file; empty when ffprobe is not installed (the camera's ffmpeg then reports what it
     * cannot copy when it runs).
     *
     * @throws IllegalArgumentException when ffprobe runs but cannot read the file as a media file
     */
    public static Optional<MediaFileProbe> probe(Path file) {
        List<String> cmd = List.of("ffprobe", "-v", "error", "-show_entries",
                "stream=codec_type,codec_name,width,height,avg_frame_rate,r_frame_rate,has_b_frames", "-of", "json", file.toString());
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            return Optional.empty();
        }
        try {
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalArgumentException("ffprobe took over 30 s to read it");
            }
            if (p.exitValue() != 0) {
                throw new IllegalArgumentException("ffprobe cannot read it as a video file: "
                        + (err.isEmpty() ? "exit code " + p.exitValue() : err.lines().reduce((a, b) -> b).orElse(err)));
            }
            return Optional.of(parse(JSON.readTree(out)));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read ffprobe's answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return Optional.empty();
        } finally {
            p.destroy();
        }
    }

    static MediaFileProbe parse(JsonNode root) {
        JsonNode video = null;
        JsonNode audio = null;
        for (JsonNode s : root.path("streams")) {
            String type = s.path("codec_type").asText();
            if (video == null && type.equals("video")) {
                video = s;
            } else if (audio == null && type.equals("audio")) {
                audio = s;
            }
        }
        if (video == null) {
            return new MediaFileProbe(null, 0, 0, 0, false, audio == null ? null : audio.path("codec_name").asText());
        }
        double fps = rate(video.path("avg_frame_rate").asText());
        if (fps <= 0) {
            fps = rate(video.path("r_frame_rate").asText());
        }
        return new MediaFileProbe(video.path("codec_name").asText(), video.path("width").asInt(), video.path("height").asInt(),
                fps, video.path("has_b_frames").asInt() > 0, audio == null ? null : audio.path("codec_name").asText());
    }

    private static double rate(String fraction) {
        String[] p = fraction.split("/");
        try {
            double n = Double.parseDouble(p[0]);
            double d = p.length > 1 ? Double.parseDouble(p[1]) : 1;
            return d == 0 ? 0 : n / d;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

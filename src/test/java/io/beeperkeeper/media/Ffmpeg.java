package io.beeperkeeper.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real ffmpeg/ffprobe in tests and returns their output. */
public final class Ffmpeg {
    private Ffmpeg() {
    }

    public record Result(int exit, String stdout, String stderr) {
    }

    public static Result run(String... command) throws IOException, InterruptedException {
        return run(null, command);
    }

    public static Result run(byte[] stdin, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("ffout", ".txt");
        Path err = Files.createTempFile("fferr", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(List.of(command)).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (stdin == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            Process p = pb.start();
            if (stdin != null) {
                try (var os = p.getOutputStream()) {
                    os.write(stdin);
                } catch (IOException ignored) {
                    // the tool may stop reading early
                }
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** A short H.264 Annex B test stream from x264 with the given extra encoder arguments. */
    public static byte[] h264(int seconds, String... extra) throws IOException, InterruptedException {
        Path file = Files.createTempFile("test", ".h264");
        try {
            List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
                    "-i", "testsrc2=size=320x240:rate=15", "-t", String.valueOf(seconds), "-c:v", "libx264", "-g", "15"));
            cmd.addAll(List.of(extra));
            cmd.addAll(List.of("-f", "h264", file.toString()));
            Result r = run(cmd.toArray(String[]::new));
            if (r.exit() != 0) {
                throw new IllegalStateException("ffmpeg failed: " + r.stderr());
            }
            return Files.readAllBytes(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}

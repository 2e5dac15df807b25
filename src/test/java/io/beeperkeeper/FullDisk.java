package io.beeperkeeper;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real, small filesystem for tests of a full disk: a tmpfs of a few MiB mounted on a folder (needs
 * root, as {@code ./beeper test} runs on the Pi and in CI; skipped elsewhere), filled to the last byte
 * by one file and freed by deleting it. Unmounted on close.
 */
public final class FullDisk implements AutoCloseable {
    private final Path mountPoint;
    private final Path filler;
    private boolean mounted;

    private FullDisk(Path mountPoint) {
        this.mountPoint = mountPoint;
        this.filler = mountPoint.resolve("filler");
    }

    /** Mounts a tmpfs of {@code bytes} on {@code mountPoint} (created when missing). */
    public static FullDisk mount(Path mountPoint, long bytes) throws Exception {
        Files.createDirectories(mountPoint);
        FullDisk d = new FullDisk(mountPoint);
        String err = run(List.of("mount", "-t", "tmpfs", "-o", "size=" + bytes + ",mode=0700", "tmpfs", mountPoint.toString()));
        Assumptions.assumeTrue(err == null, "a full-disk test needs root to mount a small tmpfs: " + err);
        d.mounted = true;
        return d;
    }

    public Path path() {
        return mountPoint;
    }

    /** Fills the filesystem until a write fails with "No space left on device". */
    public void fill() throws IOException {
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            for (int size : new int[]{chunk.length, 4096, 1}) {
                try {
                    while (true) {
                        out.write(chunk, 0, size);
                        out.flush();
                    }
                } catch (IOException full) {
                    // this size no longer fits: go on with a smaller one
                }
            }
        } catch (IOException closingAFullFile) {
            // the last buffered bytes did not fit either
        }
    }

    /** Space returns: the filler file is deleted. */
    public void free() throws IOException {
        Files.deleteIfExists(filler);
    }

    @Override
    public void close() throws Exception {
        if (mounted) {
            String err = run(List.of("umount", "-l", mountPoint.toString()));
            if (err != null) {
                throw new IOException("cannot unmount the test's tmpfs " + mountPoint + ": " + err);
            }
            mounted = false;
        }
    }

    /** Runs a command; null when it succeeded, else what it printed. */
    private static String run(List<String> command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timed out";
        }
        return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
    }
}

package io.beeperkeeper.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian 12 roots for the package tests, made with mmdebstrap from Debian's archive and cached in
 * {@code ~/.cache/beeper-keeper} (or {@code $BEEPER_TEST_CACHE}), keyed by what they hold: the first
 * run downloads and installs (minutes), later runs reuse them. Cached outside target/ so that
 * {@code mvn clean} keeps them; CI may cache that folder between runs.
 */
final class DebianRoots {
    static final String SUITE = "bookworm";
    static final String MIRROR = "http://deb.debian.org/debian";

    private DebianRoots() {
    }

    static Path cacheDir() throws IOException {
        String env = System.getenv("BEEPER_TEST_CACHE");
        Path dir = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "beeper-keeper");
        return Files.createDirectories(dir);
    }

    static boolean isRoot() {
        try {
            return "0".equals(run(Duration.ofSeconds(30), "id", "-u").out().trim());
        } catch (IOException e) {
            return false;
        }
    }

    /** The host's Debian architecture (amd64, arm64). */
    static String hostArchitecture() throws IOException {
        Result r = run(Duration.ofSeconds(30), "dpkg", "--print-architecture");
        assertThat(r.code()).as(r.err()).isZero();
        return r.out().trim();
    }

    /**
     * A tarball of a bootable-style Debian 12 root (minbase) of the host's architecture with
     * {@code packages} installed, made once.
     */
    static Path installedRoot(List<String> packages) throws IOException {
        String arch = hostArchitecture();
        Path tar = cacheDir().resolve("debian12-" + arch + "-minbase-" + key(arch, "minbase", packages) + ".tar");
        if (!Files.exists(tar)) {
            Path partial = tar.resolveSibling(tar.getFileName() + ".partial");
            Files.deleteIfExists(partial);
            mmdebstrap(List.of("--variant=minbase", "--format=tar", "--include=" + String.join(",", packages), SUITE, partial.toString(), MIRROR));
            Files.move(partial, tar, StandardCopyOption.ATOMIC_MOVE);
        }
        return tar;
    }

    /**
     * A folder with {@code packages} of {@code arch} and their dependencies unpacked (mmdebstrap's
     * extract variant: dpkg -x of each, no maintainer scripts run), to run foreign binaries from
     * with qemu-user's {@code -L}. Made once.
     */
    static Path extractedRoot(String arch, List<String> packages) throws IOException {
        Path dir = cacheDir().resolve("debian12-" + arch + "-extract-" + key(arch, "extract", packages));
        if (!Files.isDirectory(dir)) {
            Path partial = dir.resolveSibling(dir.getFileName() + ".partial");
            if (Files.exists(partial)) {
                run(Duration.ofMinutes(5), "rm", "-rf", "--one-file-system", partial.toString());
            }
            mmdebstrap(List.of("--variant=extract", "--architectures=" + arch, "--include=" + String.join(",", packages),
                    SUITE, partial.toString(), MIRROR));
            Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
        }
        return dir;
    }

    private static void mmdebstrap(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of("mmdebstrap", "--quiet"));
        command.addAll(args);
        long t0 = System.nanoTime();
        Result r = run(Duration.ofMinutes(30), command.toArray(String[]::new));
        assertThat(r.code()).as("mmdebstrap failed (is the mmdebstrap package installed and deb.debian.org reachable?): "
                + String.join(" ", command) + "\n" + r.err()).isZero();
        System.out.printf("made %s in %.0f s%n", args.get(args.size() - 2), (System.nanoTime() - t0) / 1e9);
    }

    private static String key(String arch, String variant, List<String> packages) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((SUITE + " " + arch + " " + variant + " " + String.join(",", packages)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A finished command: exit code, standard output and error. */
    record Result(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    /** Runs a command to its end (killed after {@code timeout}), standard input empty. */
    static Result run(Duration timeout, String... command) throws IOException {
        return run(timeout, Path.of("/dev/null"), List.of(command));
    }

    /** Runs a command to its end (killed after {@code timeout}), standard input read from {@code input}. */
    static Result run(Duration timeout, Path input, List<String> command) throws IOException {
        Path out = Files.createTempFile("beeper-cmd", ".out");
        Path err = Files.createTempFile("beeper-cmd", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(input.toFile()))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", command));
            }
            return new Result(p.exitValue(), new String(Files.readAllBytes(out), StandardCharsets.UTF_8),
                    new String(Files.readAllBytes(err), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}

package io.beeperkeeper.check;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The machine {@code beeper check} looks at: the file system root its probes read sys/, proc/, dev/ and
 * etc/ under ("/" in production, a temporary tree in tests), the folders commands are looked up in
 * ($PATH), and how long a command may take.
 */
public record Host(Path root, List<Path> searchPath, Duration timeout) {
    /** The most of a command's output that is read. */
    private static final int MAX_OUTPUT = 1 << 20;

    public Host {
        searchPath = List.copyOf(searchPath);
    }

    /** This machine: "/", $PATH, 20 s a command (rpicam-hello is slow on a loaded Pi). */
    public static Host system() {
        return new Host(Path.of("/"), pathOf(System.getenv().getOrDefault("PATH", "/usr/bin:/bin")), Duration.ofSeconds(20));
    }

    /** The folders of a PATH-style list. */
    public static List<Path> pathOf(String path) {
        List<Path> out = new ArrayList<>();
        for (String p : path.split(File.pathSeparator)) {
            if (!p.isBlank()) {
                out.add(Path.of(p));
            }
        }
        return out;
    }

    /** An absolute path of this machine (such as /dev/video0) under the root. */
    public Path file(String absolute) {
        return root.resolve(absolute.replaceFirst("^/+", ""));
    }

    /** The executable a command name runs: a path as given, else the first match on the search path. */
    public Optional<Path> which(String command) {
        if (command.contains("/")) {
            Path p = Path.of(command);
            return Files.isExecutable(p) && !Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
        }
        for (Path dir : searchPath) {
            Path p = dir.resolve(command);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** What a command printed (standard output and error together) and its exit status. */
    public record Output(int exit, String text) {
        /** Started, finished in time and exited 0. */
        public boolean succeeded() {
            return exit == 0;
        }
    }

    /** Runs a command to its end (or the timeout: exit -1); a command that cannot start gives exit -1 and the reason. */
    public Output run(Path executable, String... args) {
        List<String> argv = new ArrayList<>(List.of(executable.toString()));
        argv.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            return new Output(-1, "cannot start " + executable + ": " + e.getMessage());
        }
        CompletableFuture<String> text = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return new Output(-1, executable + " gave no answer within " + timeout.toSeconds() + " s");
            }
            return new Output(p.exitValue(), text.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return new Output(-1, "interrupted");
        } catch (ExecutionException | TimeoutException e) {
            return new Output(-1, executable + ": its output could not be read (" + e + ")");
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}

package io.beeperkeeper.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * `beeper cds-archive FILE` (hidden): makes the AppCDS class archive the launchers start the hub with,
 * so the page answers sooner after a start and the classes' metadata is mapped from one file instead of
 * parsed from the jar. It runs {@code cds-training} in a child JVM with this JVM's options and
 * {@code -XX:ArchiveClassesAtExit}, then checks the new archive with {@code -Xshare:on} (which refuses a
 * bad or foreign archive) before renaming it into place: a half-written archive is never where a start
 * would map it (a truncated one can crash the JVM). The JVM's own output (hundreds of warnings about
 * classes it cannot archive) goes to FILE.log; the user sees one line.
 */
@Command(name = "cds-archive", hidden = true, mixinStandardHelpOptions = true,
        description = "Make the AppCDS class archive the launchers start the hub with (a short training run of the"
                + " hub on loopback, checked before it is moved into place); its log is FILE.log.")
final class CdsArchiveCommand implements Callable<Integer> {
    /** A Pi 3B+ under load takes about a minute; beyond this the training run is stuck. */
    private static final long TRAINING_SECONDS = 300;
    private static final long VERIFY_SECONDS = 120;

    @Parameters(paramLabel = "FILE", description = "Where the archive goes, e.g. /var/cache/beeper-keeper/beeper-keeper.jsa.")
    Path file;

    @Spec
    CommandSpec spec;

    /** The child JVM under way, for the shutdown hook. */
    private final Set<ProcessHandle> running = ConcurrentHashMap.newKeySet();

    @Override
    public Integer call() throws Exception {
        String classPath = System.getProperty("java.class.path", "");
        if (!classPath.endsWith(".jar") || classPath.contains(File.pathSeparator)) {
            return fail("run it from the jar: java -jar beeper-keeper.jar cds-archive " + file);
        }
        Path jar = Path.of(classPath).toAbsolutePath();
        Path target = file.toAbsolutePath();
        Path tmp = target.resolveSibling(target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Path log = logOf(target);
        try {
            Files.createDirectories(target.getParent());
            Files.writeString(log, "");
        } catch (IOException e) {
            return fail("cannot write in " + target.getParent() + " (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "): run it as the user who owns that folder, or give another FILE");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> flags = launcherFlags(ManagementFactory.getRuntimeMXBean().getInputArguments());
        long t0 = System.nanoTime();
        // stopped halfway (SIGTERM, Ctrl-C): no training left running, no half-written archive left behind
        Thread cleanUp = new Thread(() -> {
            running.forEach(p -> {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            });
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // nothing more to do on the way out
            }
        }, "cds-archive-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanUp);
        try {
            List<String> training = new ArrayList<>(List.of(java));
            training.addAll(flags);
            training.addAll(List.of("-XX:ArchiveClassesAtExit=" + tmp, "-jar", jar.toString(), "cds-training"));
            int code = runLogged(training, log, TRAINING_SECONDS);
            if (code != 0 || !Files.isRegularFile(tmp) || Files.size(tmp) == 0) {
                return fail(code == 0
                        ? "the JVM wrote no archive (a Java without its own CDS archive cannot make one: run"
                          + " 'sudo java -Xshare:dump' once); see " + log
                        : code == -1 ? "the training run took over " + TRAINING_SECONDS + " s and was stopped; see " + log
                        : "the training run failed (exit code " + code + "); see " + log);
            }
            List<String> verify = new ArrayList<>(List.of(java));
            verify.addAll(flags);
            verify.addAll(List.of("-XX:SharedArchiveFile=" + tmp, "-Xshare:on", "-jar", jar.toString(), "version"));
            code = runLogged(verify, log, VERIFY_SECONDS);
            if (code != 0) {
                return fail("the new archive does not map (-Xshare:on exit code " + code + ") and was deleted; see " + log);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AccessDeniedException e) {
            return fail("cannot write " + e.getFile() + ": run it as the user who owns " + target.getParent());
        } finally {
            Files.deleteIfExists(tmp);
            Runtime.getRuntime().removeShutdownHook(cleanUp);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        String made = String.format(Locale.ROOT, "beeper: AppCDS archive %s made (%.1f MB in %.1f s; log %s)",
                target, Files.size(target) / 1e6, seconds, log);
        appendToLog(made);
        spec.commandLine().getOut().println(made);
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The last line of the log says how it ended, for a launcher that made the archive in the background. */
    private void appendToLog(String line) {
        Path log = logOf(file.toAbsolutePath());
        try {
            if (Files.isRegularFile(log)) {
                Files.writeString(log, line + System.lineSeparator(), StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            // the line still goes to standard error or output
        }
    }

    /** FILE.log beside the archive: the JVM's output and, last, how the run ended. */
    private static Path logOf(Path archive) {
        return archive.resolveSibling(archive.getFileName() + ".log");
    }

    /** This JVM's options without the ones about class archives, which the child sets itself. */
    static List<String> launcherFlags(List<String> inputArguments) {
        return inputArguments.stream().filter(a -> !a.startsWith("-XX:SharedArchiveFile") && !a.startsWith("-XX:ArchiveClassesAtExit")
                && !a.startsWith("-Xshare") && !a.startsWith("-Xlog:cds") && !a.startsWith("-agentlib")
                && !a.startsWith("-javaagent")).toList();
    }

    /** Runs a command with its output appended to the log; its exit code, or -1 when it took too long. */
    private int runLogged(List<String> command, Path log, long seconds) throws IOException, InterruptedException {
        Files.writeString(log, "$ " + String.join(" ", command) + System.lineSeparator(), StandardOpenOption.APPEND);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // the options are on the command line already; JDK_JAVA_OPTIONS would add them twice
        pb.environment().remove("JDK_JAVA_OPTIONS");
        Process p = pb.start();
        running.add(p.toHandle());
        try {
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
                return -1;
            }
            return p.exitValue();
        } finally {
            running.remove(p.toHandle());
        }
    }

    private int fail(String why) {
        String line = "beeper cds-archive: " + why + " (the hub starts without an archive, only slower)";
        appendToLog(line);
        spec.commandLine().getErr().println(line);
        spec.commandLine().getErr().flush();
        return 1;
    }
}

package io.beeperkeeper.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * A process's figures as the benchmarks read them from Linux's /proc: its age, CPU ticks (the whole
 * process and each thread), RSS, and which process listens on a port. Read from outside the hub, so a
 * benchmark measures the hub a user runs without anything added to it.
 */
final class ProcessFigures {
    static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private ProcessFigures() {
    }

    /** Seconds since the process started, from its start time in {@code /proc/<pid>/stat} and the machine's uptime. */
    static double ageSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        long startTicks = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
        double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
        return uptime - startTicks / (double) TICKS_PER_SECOND;
    }

    /** CPU ticks of each of the JVM's JIT compiler threads. */
    static Map<String, Long> compilerTicks(long pid) throws IOException {
        Map<String, Long> m = threadTicks(pid);
        m.keySet().removeIf(k -> !k.matches("\\d+ C\\d CompilerThre.*"));
        return m;
    }

    /** utime and stime of a process in clock ticks. */
    static long[] cpuTicks(long pid) throws IOException {
        return ticks(Files.readString(Path.of("/proc/" + pid + "/stat")));
    }

    private static long[] ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
    }

    /** "tid name" to CPU ticks of each thread. */
    static Map<String, Long> threadTicks(long pid) throws IOException {
        Map<String, Long> m = new LinkedHashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    long[] k = ticks(stat);
                    m.put(t.getFileName() + " " + name, k[0] + k[1]);
                } catch (IOException ignored) {
                    // the thread ended meanwhile
                }
            }
        }
        return m;
    }

    static long rssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    /** The process listening on a TCP port of this machine, from /proc/net/tcp{,6} and the processes' sockets. */
    static OptionalLong listeningPid(int port) throws IOException {
        List<String> inodes = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.exists(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p)) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[1].contains(":") && f[3].equals("0A")
                        && Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16) == port) {
                    inodes.add("socket:[" + f[9] + "]");
                }
            }
        }
        if (inodes.isEmpty()) {
            return OptionalLong.empty();
        }
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
                    for (Path fd : fds) {
                        try {
                            if (inodes.contains(Files.readSymbolicLink(fd).toString())) {
                                return OptionalLong.of(Long.parseLong(proc.getFileName().toString()));
                            }
                        } catch (IOException ignored) {
                            // closed meanwhile
                        }
                    }
                } catch (IOException | SecurityException ignored) {
                    // another user's process, or gone
                }
            }
        }
        return OptionalLong.empty();
    }
}

package io.beeperkeeper.sensor.system;

import io.beeperkeeper.sensor.Reading;
import io.beeperkeeper.sensor.ReadingKind;
import io.beeperkeeper.sensor.ReadingSource;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Host statistics from procfs (its root injectable): CPU % from the change of {@code /proc/stat}'s
 * first line since the previous poll (since boot on the first), memory % from {@code MemAvailable},
 * disk % of the file system holding the data folder, load averages and uptime. Fields:
 * {@code cpu_percent, memory_percent, disk_percent, load_1m, load_5m, load_15m, uptime_s}.
 */
public final class SystemStatsSource implements ReadingSource {
    private final Path proc;
    private final Path dataDir;
    private long[] previousCpu;

    /** @param procRoot "/proc" in production; @param dataDir the folder whose disk is measured */
    public SystemStatsSource(Path procRoot, Path dataDir) {
        this.proc = procRoot;
        this.dataDir = dataDir;
    }

    public static boolean available(Path procRoot) {
        return Files.isReadable(procRoot.resolve("stat")) && Files.isReadable(procRoot.resolve("meminfo"));
    }

    @Override
    public String name() {
        return "system stats (" + proc + ")";
    }

    @Override
    public synchronized List<Reading> poll(Instant now) throws IOException {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("cpu_percent", round1(cpuPercent()));
        fields.put("memory_percent", round1(memoryPercent()));
        fields.put("disk_percent", round1(diskPercent()));
        String[] load = Files.readString(proc.resolve("loadavg")).trim().split("\\s+");
        fields.put("load_1m", Double.parseDouble(load[0]));
        fields.put("load_5m", Double.parseDouble(load[1]));
        fields.put("load_15m", Double.parseDouble(load[2]));
        fields.put("uptime_s", (long) Double.parseDouble(Files.readString(proc.resolve("uptime")).trim().split("\\s+")[0]));
        return List.of(new Reading(ReadingKind.SYSTEM_STATS, now, fields));
    }

    /** Busy share of all CPU time between two polls: idle and iowait count as idle; guest is inside user. */
    double cpuPercent() throws IOException {
        String first = Files.readAllLines(proc.resolve("stat")).get(0);
        String[] f = first.trim().split("\\s+");
        if (!f[0].equals("cpu") || f.length < 5) {
            throw new IOException(proc.resolve("stat") + " does not start with the aggregate cpu line: " + first);
        }
        long[] now = new long[Math.min(8, f.length - 1)];
        for (int i = 0; i < now.length; i++) {
            now[i] = Long.parseLong(f[i + 1]);
        }
        long[] before = previousCpu == null ? new long[now.length] : previousCpu;
        previousCpu = now;
        long total = 0;
        long idle = 0;
        for (int i = 0; i < now.length; i++) {
            long d = now[i] - before[i];
            total += d;
            if (i == 3 || i == 4) {
                idle += d;
            }
        }
        return total <= 0 ? 0.0 : 100.0 * (total - idle) / total;
    }

    double memoryPercent() throws IOException {
        long total = -1;
        long available = -1;
        for (String line : Files.readAllLines(proc.resolve("meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                total = kb(line);
            } else if (line.startsWith("MemAvailable:")) {
                available = kb(line);
            }
        }
        if (total <= 0 || available < 0) {
            throw new IOException(proc.resolve("meminfo") + " lacks MemTotal or MemAvailable");
        }
        return 100.0 * (total - available) / total;
    }

    double diskPercent() throws IOException {
        Path p = dataDir;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        FileStore store = Files.getFileStore(p == null ? Path.of("/") : p);
        long total = store.getTotalSpace();
        return total <= 0 ? 0.0 : 100.0 * (total - store.getUsableSpace()) / total;
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}

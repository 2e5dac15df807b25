package io.beeperkeeper.sensor.host;

import io.beeperkeeper.sensor.Reading;
import io.beeperkeeper.sensor.ReadingKind;
import io.beeperkeeper.sensor.ReadingSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * This machine's load as the seed's system/stats message: CPU % from the difference of two
 * /proc/stat samples, memory % from /proc/meminfo (MemAvailable), disk % of the data folder's file
 * system, the 1-minute load and the uptime.
 */
public final class SystemStatsSource implements ReadingSource {
    private final Path procRoot;
    private final Path dataDir;
    private long[] lastCpu;

    /** @param procRoot "/proc" in production; @param dataDir the folder whose disk is measured */
    public SystemStatsSource(Path procRoot, Path dataDir) {
        this.procRoot = procRoot;
        this.dataDir = dataDir;
    }

    public boolean available() {
        return Files.isReadable(procRoot.resolve("stat")) && Files.isReadable(procRoot.resolve("meminfo"));
    }

    @Override
    public String name() {
        return "system stats";
    }

    @Override
    public synchronized List<Reading> poll(Instant now) throws IOException {
        Map<String, Object> f = new LinkedHashMap<>();
        long[] cpu = readCpu();
        if (lastCpu != null) {
            long total = cpu[0] - lastCpu[0];
            long idle = cpu[1] - lastCpu[1];
            f.put("cpu_percent", total <= 0 ? 0.0 : round1(100.0 * (total - idle) / total));
        }
        lastCpu = cpu;
        f.put("memory_percent", round1(memoryPercent()));
        Path disk = Files.exists(dataDir) ? dataDir : dataDir.toAbsolutePath().getRoot();
        var store = Files.getFileStore(disk);
        long total = store.getTotalSpace();
        if (total > 0) {
            f.put("disk_percent", round1(100.0 * (total - store.getUsableSpace()) / total));
        }
        String[] load = Files.readString(procRoot.resolve("loadavg")).trim().split("\\s+");
        f.put("load_1m", Double.parseDouble(load[0]));
        String[] uptime = Files.readString(procRoot.resolve("uptime")).trim().split("\\s+");
        f.put("uptime_s", Math.round(Double.parseDouble(uptime[0])));
        return List.of(new Reading(ReadingKind.SYSTEM_STATS, now, f));
    }

    /** @return {total jiffies, idle + iowait jiffies} of the aggregate "cpu" line */
    private long[] readCpu() throws IOException {
        for (String line : Files.readAllLines(procRoot.resolve("stat"))) {
            if (line.startsWith("cpu ")) {
                String[] p = line.trim().split("\\s+");
                long total = 0;
                for (int i = 1; i < p.length && i <= 8; i++) {
                    total += Long.parseLong(p[i]);
                }
                long idle = Long.parseLong(p[4]) + (p.length > 5 ? Long.parseLong(p[5]) : 0);
                return new long[] {total, idle};
            }
        }
        throw new IOException(procRoot.resolve("stat") + " has no aggregate cpu line");
    }

    private double memoryPercent() throws IOException {
        long total = -1;
        long available = -1;
        for (String line : Files.readAllLines(procRoot.resolve("meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                total = kib(line);
            } else if (line.startsWith("MemAvailable:")) {
                available = kib(line);
            }
        }
        if (total <= 0 || available < 0) {
            throw new IOException(procRoot.resolve("meminfo") + " lacks MemTotal/MemAvailable");
        }
        return 100.0 * (total - available) / total;
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}

package io.beeperkeeper.cli;

import io.beeperkeeper.ManualClock;
import io.beeperkeeper.config.HistoryConfig;
import io.beeperkeeper.history.HistoryStore;
import io.beeperkeeper.web.history.HistoryWeb;
import io.beeperkeeper.metric.MetricSample;
import io.javalin.Javalin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Benchmark of the history store, for a keeper who wants to know what a year of readings costs their
 * Pi's SD card and CPU; prints figures, fails nothing. Run it with {@code ./beeper bench history [DIR]}.
 * It lives with the commands because it serves the store over real HTTP to time the queries.
 *
 * <p>It builds a store holding one year of 10-second readings of 12 metrics (38 million samples before
 * retention) as the real store would hold them after retention: the last 14 days go through the real
 * ingest path (queue, writer thread, raw rows and rollups, derived lights_on) and give the ingest rate;
 * the older part is written straight into the rollup tables (1-minute for days 14-180, 1-hour for the
 * whole year), computed from the same 10-second synthetic readings, because that is all retention leaves
 * of it. Then: the file size, the bytes written during one simulated day of normal operation (commits
 * every flushSeconds, rollups every rollupFlushMinutes, retention daily, driven by a simulated clock), and
 * the latency of {@code GET /api/history} over real HTTP for 24 h, 30 d and 1 y at 1000 points.
 */
final class HistoryBench {
    static final String[][] METRICS = {
            {"temperature", "°C"}, {"humidity", "%"}, {"pressure", "hPa"}, {"gas_resistance", "Ω"},
            {"iaq", ""}, {"iaq_accuracy", ""}, {"cpu_temperature", "°C"}, {"cpu_percent", "%"},
            {"memory_percent", "%"}, {"disk_percent", "%"}, {"lux", "lx"}, {"audio_level_db", "dB"}};
    static final long STEP_MS = 10_000;
    static final long DAY_MS = 86_400_000L;
    static final String NODE = "coop";

    public static void main(String[] args) throws Exception {
        // Quiet: per-request debug logging would be measured along with the queries.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        Path dir = Path.of(args.length > 0 ? args[0] : "bench-out/history");
        Files.createDirectories(dir);
        Path file = dir.resolve("beeper.db");
        for (String suffix : List.of("", "-wal", "-shm")) {
            if (!Boolean.getBoolean("bench.dayOnly")) {
                Files.deleteIfExists(Path.of(file + suffix));
            }
        }
        long end = Instant.now().toEpochMilli() / 3_600_000L * 3_600_000L;
        long start = end - 365 * DAY_MS;
        long rawStart = end - 14 * DAY_MS;
        long minuteStart = end - 180 * DAY_MS;
        ManualClock clock = new ManualClock(Instant.ofEpochMilli(end));
        HistoryConfig cfg = new HistoryConfig(14, 180, 0, Integer.getInteger("bench.flushSeconds", HistoryConfig.defaults().flushSeconds()),
                Integer.getInteger("bench.rollupMinutes", HistoryConfig.defaults().rollupFlushMinutes()), 20_000, 50, 30, "UTC", HistoryConfig.Influx.defaults());
        if (Boolean.getBoolean("bench.dayOnly")) { // re-runs the day of operation on a store filled before
            writtenPerDay(file, cfg, clock, end + 2 * DAY_MS, METRICS.length, 10);
            return;
        }

        System.out.printf(Locale.ROOT, "History benchmark: %d metrics, one reading each every %d s, one year ending %s%n",
                METRICS.length, STEP_MS / 1000, Instant.ofEpochMilli(end));
        System.out.printf(Locale.ROOT, "  (%,d readings before retention; file %s)%n", METRICS.length * (365 * DAY_MS / STEP_MS), file);

        HistoryStore.open(file, cfg, clock).close(); // creates the schema
        long t0 = System.nanoTime();
        long rollupRows = writeOldRollups(file, start, minuteStart, rawStart);
        System.out.printf(Locale.ROOT, "old part (days 14-365) written straight as rollups: %,d rows in %.1f s%n",
                rollupRows, (System.nanoTime() - t0) / 1e9);

        long readings;
        double ingestSeconds;
        try (HistoryStore store = HistoryStore.open(file, cfg, clock)) {
            t0 = System.nanoTime();
            readings = 0;
            for (long t = rawStart; t < end; t += STEP_MS) {
                for (String[] m : METRICS) {
                    store.put(new MetricSample(NODE, m[0], value(m[0], t), m[1], Instant.ofEpochMilli(t), null));
                    readings++;
                }
            }
            store.flush(Duration.ofMinutes(10));
            ingestSeconds = (System.nanoTime() - t0) / 1e9;
            store.flushRollups(Duration.ofMinutes(10));
            store.applyRetention(Duration.ofMinutes(10));
            System.out.printf(Locale.ROOT, "ingest (last 14 days through the store): %,d readings in %.1f s = %,.0f readings/s (%s)%n",
                    readings, ingestSeconds, readings / ingestSeconds, store.stats());
        }
        checkpoint(file);
        System.out.printf(Locale.ROOT, "file size after one year with retention: %.1f MB%n", Files.size(file) / 1e6);

        latencies(file, cfg, clock, end);
        writtenPerDay(file, cfg, clock, end, METRICS.length, 10);
        writtenPerDay(file, cfg, clock, end + DAY_MS, 15, 5);
    }

    /** 1-minute rollups for [minuteStart, rawStart), 1-hour for [start, rawStart), from the 10 s readings. */
    static long writeOldRollups(Path file, long start, long minuteStart, long rawStart) throws Exception {
        long rows = 0;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA synchronous=OFF");
            }
            c.setAutoCommit(false);
            try (PreparedStatement series = c.prepareStatement("INSERT INTO hist_series(id, node, metric, unit, first_t, last_t) VALUES (?, ?, ?, ?, ?, ?)");
                 PreparedStatement minute = c.prepareStatement("INSERT INTO hist_1m(series, t, mn, mx, sm, c) VALUES (?, ?, ?, ?, ?, ?)");
                 PreparedStatement hour = c.prepareStatement("INSERT INTO hist_1h(series, t, mn, mx, sm, c) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < METRICS.length; i++) {
                    long id = i + 1;
                    series.setLong(1, id);
                    series.setString(2, NODE);
                    series.setString(3, METRICS[i][0]);
                    series.setString(4, METRICS[i][1]);
                    series.setLong(5, start);
                    series.setLong(6, rawStart - STEP_MS);
                    series.executeUpdate();
                    for (long h = start; h < rawStart; h += 3_600_000L) {
                        double[] hAgg = {Double.MAX_VALUE, -Double.MAX_VALUE, 0, 0};
                        for (long m = h; m < h + 3_600_000L; m += 60_000L) {
                            double[] mAgg = {Double.MAX_VALUE, -Double.MAX_VALUE, 0, 0};
                            for (long t = m; t < m + 60_000L; t += STEP_MS) {
                                double v = value(METRICS[i][0], t);
                                mAgg[0] = Math.min(mAgg[0], v);
                                mAgg[1] = Math.max(mAgg[1], v);
                                mAgg[2] += v;
                                mAgg[3]++;
                            }
                            if (m >= minuteStart) {
                                bind(minute, id, m, mAgg);
                                rows++;
                            }
                            hAgg[0] = Math.min(hAgg[0], mAgg[0]);
                            hAgg[1] = Math.max(hAgg[1], mAgg[1]);
                            hAgg[2] += mAgg[2];
                            hAgg[3] += mAgg[3];
                        }
                        bind(hour, id, h, hAgg);
                        rows++;
                        if (rows % 50_000 < 61) {
                            minute.executeBatch();
                            hour.executeBatch();
                        }
                    }
                    minute.executeBatch();
                    hour.executeBatch();
                    c.commit();
                }
            }
        }
        return rows;
    }

    private static void bind(PreparedStatement ps, long id, long t, double[] agg) throws Exception {
        ps.setLong(1, id);
        ps.setLong(2, t);
        ps.setDouble(3, agg[0]);
        ps.setDouble(4, agg[1]);
        ps.setDouble(5, agg[2]);
        ps.setLong(6, (long) agg[3]);
        ps.addBatch();
    }

    /** A plausible reading: a daily wave, a yearly drift and some noise, the same for the same time. */
    static double value(String metric, long t) {
        double day = 2 * Math.PI * (t % DAY_MS) / DAY_MS;
        double year = 2 * Math.PI * (t % (365 * DAY_MS)) / (365 * DAY_MS);
        double noise = ((t / STEP_MS * 2654435761L + metric.hashCode()) & 0xffff) / 65536.0 - 0.5;
        return switch (metric) {
            case "temperature" -> 12 + 8 * Math.sin(year) + 5 * Math.sin(day - 2) + noise;
            case "humidity" -> 60 - 15 * Math.sin(day - 2) + 2 * noise;
            case "pressure" -> 1013 + 8 * Math.sin(year * 20) + noise;
            case "gas_resistance" -> 120_000 + 30_000 * Math.sin(day) + 5000 * noise;
            case "iaq" -> 80 + 40 * Math.sin(day * 2) + 5 * noise;
            case "iaq_accuracy" -> 3;
            case "cpu_temperature" -> 48 + 4 * Math.sin(day) + noise;
            case "cpu_percent" -> 15 + 10 * (noise + 0.5);
            case "memory_percent" -> 40 + noise;
            case "disk_percent" -> 30 + t / (365 * DAY_MS * 100.0) % 10;
            case "lux" -> Math.max(0, 900 * Math.sin(day - Math.PI / 2)) + 3 * (noise + 0.5);
            case "audio_level_db" -> -50 + 15 * (noise + 0.5) + 10 * Math.max(0, Math.sin(day - 1.5));
            default -> noise;
        };
    }

    static void checkpoint(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath()); Statement st = c.createStatement()) {
            st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }

    /** GET /api/history over real HTTP: 24 h, 30 d and 1 y ending now, 1000 points, random metric. */
    static void latencies(Path file, HistoryConfig cfg, Clock clock, long end) throws Exception {
        try (HistoryStore store = HistoryStore.open(file, cfg, clock)) {
            Javalin app = Javalin.create(c -> new HistoryWeb(store, clock).register(c.routes)).start("127.0.0.1", 0);
            try {
                HttpClient http = HttpClient.newHttpClient();
                Random random = new Random(1);
                for (long spanDays : new long[]{1, 30, 365}) {
                    int runs = 300;
                    long[] nanos = new long[runs];
                    int points = 0;
                    String resolution = "";
                    for (int i = -50; i < runs; i++) {
                        String metric = METRICS[random.nextInt(METRICS.length)][0];
                        URI uri = URI.create("http://127.0.0.1:" + app.port() + "/api/history?metric=" + metric
                                + "&from=" + (end - spanDays * DAY_MS) / 1000 + "&to=" + end / 1000 + "&points=1000");
                        long q0 = System.nanoTime();
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                        long took = System.nanoTime() - q0;
                        if (r.statusCode() != 200) {
                            throw new IllegalStateException(uri + " -> " + r.statusCode() + " " + r.body());
                        }
                        if (i >= 0) {
                            nanos[i] = took;
                        }
                        points = count(r.body(), "\"count\":");
                        int at = r.body().indexOf("\"resolution\":\"");
                        resolution = r.body().substring(at + 14, r.body().indexOf('"', at + 14));
                    }
                    Arrays.sort(nanos);
                    System.out.printf(Locale.ROOT, "GET /api/history %3d d, 1000 points: median %.1f ms, p99 %.1f ms (%d points from %s, %d runs)%n",
                            spanDays, nanos[runs / 2] / 1e6, nanos[(int) Math.ceil(runs * 0.99) - 1] / 1e6, points, resolution, runs);
                }
            } finally {
                app.stop();
            }
        }
    }

    private static int count(String body, String key) {
        int at = body.indexOf(key) + key.length();
        int stop = at;
        while (stop < body.length() && Character.isDigit(body.charAt(stop))) {
            stop++;
        }
        return Integer.parseInt(body.substring(at, stop));
    }

    /**
     * One day of normal operation against the full store, simulated: readings arrive at their rate,
     * a commit every flushSeconds, the rollups every rollupFlushMinutes, retention daily. Counts the
     * bytes the process hands to the kernel for writing (/proc/self/io wchar: WAL frames, checkpoints).
     */
    static void writtenPerDay(Path file, HistoryConfig cfg, ManualClock clock, long dayStart, int metrics, int intervalSeconds) throws Exception {
        clock.set(Instant.ofEpochMilli(dayStart));
        try (HistoryStore store = HistoryStore.open(file, cfg, clock)) {
            long before = procIo("wchar");
            long diskBefore = procIo("write_bytes");
            long t0 = System.nanoTime();
            long flushMs = cfg.flushSeconds() * 1000L;
            long rollupMs = cfg.rollupFlushMinutes() * 60_000L;
            long nextFlush = dayStart + flushMs;
            long nextRollup = dayStart + rollupMs;
            long retentionMs = Long.getLong("bench.retentionHours", 24) * 3_600_000L;
            long nextRetention = dayStart + retentionMs;
            for (long t = dayStart; t < dayStart + DAY_MS; t += intervalSeconds * 1000L) {
                clock.set(Instant.ofEpochMilli(t));
                for (int i = 0; i < metrics; i++) {
                    String[] m = METRICS[i % METRICS.length];
                    String name = i < METRICS.length ? m[0] : m[0] + "_" + i;
                    store.onSample(new MetricSample(NODE, name, value(m[0], t), m[1], Instant.ofEpochMilli(t), null));
                }
                if (t + intervalSeconds * 1000L >= nextRollup) {
                    store.flushRollups(Duration.ofMinutes(1));
                    nextRollup += rollupMs;
                    nextFlush += flushMs;
                } else if (t + intervalSeconds * 1000L >= nextFlush) {
                    store.flush(Duration.ofMinutes(1));
                    nextFlush += flushMs;
                }
                if (t >= nextRetention) {
                    store.applyRetention(Duration.ofMinutes(1));
                    nextRetention += retentionMs;
                }
            }
            store.flush(Duration.ofMinutes(1));
            long wrote = procIo("wchar") - before;
            long disk = procIo("write_bytes") - diskBefore;
            System.out.printf(Locale.ROOT, "written in one day of operation, %d metrics every %d s (%,d readings, commit every %d s, rollups every %d min): "
                            + "%.1f MB handed to write() (%.1f MB reached the block device), simulated in %.0f s%n",
                    metrics, intervalSeconds, metrics * (DAY_MS / (intervalSeconds * 1000L)), cfg.flushSeconds(), cfg.rollupFlushMinutes(),
                    wrote / 1e6, disk / 1e6, (System.nanoTime() - t0) / 1e9);
        }
    }

    private static long procIo(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.substring(key.length() + 1).trim());
            }
        }
        return -1;
    }
}

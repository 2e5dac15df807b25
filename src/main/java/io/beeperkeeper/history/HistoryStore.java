package io.beeperkeeper.history;

import io.beeperkeeper.config.HistoryConfig;
import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.metric.MetricListener;
import io.beeperkeeper.metric.MetricSample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The embedded time-series store: every metric sample the hub receives, in SQLite (tables {@code hist_*}
 * in the data folder's beeper.db, WAL mode), with 1-minute and 1-hour rollups and retention.
 *
 * <p>Why it is shaped like this (an SD card and a Raspberry Pi):
 * <ul>
 *   <li>{@link #onSample} only puts the sample on a bounded queue (full: dropped and counted), so the
 *       MQTT thread never waits for the disk. One writer thread owns the write connection and commits
 *       at most once every {@code flushSeconds}.</li>
 *   <li>Raw samples are keyed by (time, series): new rows always land on the last page, so a commit
 *       dirties a handful of 1 KiB pages, not one page per metric.</li>
 *   <li>Rollups are kept in memory and written every {@code rollupFlushMinutes} (merged into what is
 *       stored with an upsert). A crash loses them, but they are rebuilt from the raw samples when the
 *       store opens, so it only ever loses the last uncommitted batch of samples. Queries read the
 *       part not rolled up yet straight from the raw samples.</li>
 *   <li>Raw rows are inserted with OR IGNORE and only rows really inserted feed the rollups, so a
 *       retained MQTT message delivered twice is counted once.</li>
 * </ul>
 * Derived metrics are written like the others: {@code lights_on} (from lux, with hysteresis) as lux
 * arrives, and per day {@code light_hours}, {@code temperature_daily_min} and {@code temperature_daily_max}
 * once the day is over.
 */
public final class HistoryStore implements MetricListener, AutoCloseable {
    public static final String LIGHTS_ON = "lights_on";
    public static final String LIGHT_HOURS = "light_hours";
    public static final String TEMPERATURE_DAILY_MIN = "temperature_daily_min";
    public static final String TEMPERATURE_DAILY_MAX = "temperature_daily_max";
    private static final Set<String> DERIVED = Set.of(LIGHTS_ON, LIGHT_HOURS, TEMPERATURE_DAILY_MIN, TEMPERATURE_DAILY_MAX);

    private static final Logger log = LoggerFactory.getLogger(HistoryStore.class);
    private static final int MAX_BATCH = 20_000;
    private static final int MAX_PENDING_ROLLUPS = 100_000;
    private static final long DAY_GRACE_MS = 5 * 60_000L;
    /** A gap longer than this between two lights_on samples counts only this long (hub was off). */
    private static final long LIGHT_GAP_CAP_MS = 10 * 60_000L;
    private static final int READERS = 2;
    private static final long RETENTION_EVERY_NANOS = TimeUnit.HOURS.toNanos(24);

    private final Path file;
    private final HistoryConfig config;
    private final Clock clock;
    private final ZoneId zone;
    private final BlockingQueue<Object> queue;
    private final Connection writer;
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final Map<String, Series> series = new ConcurrentHashMap<>();
    private final LightsDetector lights;
    private final Thread thread;

    private final AtomicLong received = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile Instant lastCommitAt;
    private volatile boolean running = true;

    // Writer thread only.
    private final PreparedStatement insertRaw;
    private final PreparedStatement upsertMinute;
    private final PreparedStatement upsertHour;
    private final PreparedStatement updateSeries;
    private final List<MetricSample> retry = new ArrayList<>();
    private int pendingRollups;
    private boolean rebuildRollups;
    private long lastRollupFlushNanos = System.nanoTime();
    private long lastRetentionNanos;
    private long dataHighWater = Long.MIN_VALUE;

    private HistoryStore(Path file, HistoryConfig config, Clock clock) throws SQLException {
        this.file = file;
        this.config = config;
        this.clock = clock;
        this.zone = config.zone();
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity() + 16);
        this.lights = new LightsDetector(config.lightsOnLux(), config.lightsOffLux());
        this.writer = connect(file);
        try {
            initSchema();
            for (int i = 0; i < READERS; i++) {
                Connection r = connect(file);
                try (Statement st = r.createStatement()) {
                    st.execute("PRAGMA query_only=1");
                }
                r.setAutoCommit(false);
                readers.add(r);
            }
            loadSeries();
            writer.setAutoCommit(false);
            rebuildRollupsFromRaw();
            writer.commit();
            restoreLights();
            insertRaw = writer.prepareStatement("INSERT OR IGNORE INTO hist_raw(t, series, v) VALUES (?, ?, ?)");
            upsertMinute = writer.prepareStatement(upsertSql("hist_1m"));
            upsertHour = writer.prepareStatement(upsertSql("hist_1h"));
            updateSeries = writer.prepareStatement("UPDATE hist_series SET unit = ?, first_t = ?, last_t = ? WHERE id = ?");
        } catch (SQLException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
        this.thread = new Thread(this::runWriter, "history-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Opens (creating when needed) the store in {@code file}, rebuilds rollups lost in a crash and starts
     * the writer thread.
     *
     * @throws HistoryException naming the file and the fix when it cannot be opened
     */
    public static HistoryStore open(Path file, HistoryConfig config, Clock clock) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return new HistoryStore(file, config, clock);
        } catch (IOException e) {
            throw new HistoryException("cannot create the data folder for " + file + ": " + e.getMessage()
                    + "; set data.dir to a writable folder", e);
        } catch (SQLException e) {
            throw new HistoryException("cannot open the history database " + file + ": " + e.getMessage()
                    + "; check that the file is writable and not damaged (move it away to start a new one)", e);
        }
    }

    private static Connection connect(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout=10000");
        }
        return c;
    }

    private void initSchema() throws SQLException {
        try (Statement st = writer.createStatement()) {
            // Small pages: a commit writes whole pages, and ours touch only a few rows each (SD card wear).
            // Only takes effect on a new, empty file; an existing file keeps its page size.
            st.execute("PRAGMA page_size=1024");
            st.execute("PRAGMA journal_mode=WAL");
            // FULL: each commit is on the card before we go on, so a power cut loses at most the last batch.
            st.execute("PRAGMA synchronous=FULL");
            // A 10 MB log before each checkpoint: a page rewritten by many commits reaches the file once.
            st.execute("PRAGMA wal_autocheckpoint=10000");
            st.execute("CREATE TABLE IF NOT EXISTS hist_series(id INTEGER PRIMARY KEY, node TEXT NOT NULL, "
                    + "metric TEXT NOT NULL, unit TEXT NOT NULL DEFAULT '', first_t INTEGER, last_t INTEGER, "
                    + "UNIQUE(node, metric))");
            st.execute("CREATE TABLE IF NOT EXISTS hist_raw(t INTEGER NOT NULL, series INTEGER NOT NULL, "
                    + "v REAL NOT NULL, PRIMARY KEY(t, series)) WITHOUT ROWID");
            for (String table : List.of("hist_1m", "hist_1h")) {
                st.execute("CREATE TABLE IF NOT EXISTS " + table + "(series INTEGER NOT NULL, t INTEGER NOT NULL, "
                        + "mn REAL NOT NULL, mx REAL NOT NULL, sm REAL NOT NULL, c INTEGER NOT NULL, "
                        + "PRIMARY KEY(series, t)) WITHOUT ROWID");
            }
            st.execute("CREATE TABLE IF NOT EXISTS hist_meta(k TEXT PRIMARY KEY, v TEXT NOT NULL)");
        }
    }

    private static String upsertSql(String table) {
        return "INSERT INTO " + table + "(series, t, mn, mx, sm, c) VALUES (?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT(series, t) DO UPDATE SET mn = min(mn, excluded.mn), mx = max(mx, excluded.mx), "
                + "sm = sm + excluded.sm, c = c + excluded.c";
    }

    private void loadSeries() throws SQLException {
        try (Statement st = writer.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, node, metric, unit, first_t, last_t FROM hist_series")) {
            while (rs.next()) {
                Series s = new Series(rs.getLong(1), rs.getString(2), rs.getString(3), DERIVED.contains(rs.getString(3)));
                s.unit = rs.getString(4);
                s.firstT = rs.getObject(5) == null ? Long.MAX_VALUE : rs.getLong(5);
                s.lastT = rs.getObject(6) == null ? Long.MIN_VALUE : rs.getLong(6);
                series.put(key(s.node, s.metric), s);
            }
        }
        if (series.isEmpty()) {
            return;
        }
        // last_t is written with the rollups; samples committed after that are in the raw tail.
        long since = series.values().stream().mapToLong(s -> s.lastT).min().orElse(Long.MIN_VALUE);
        Map<Long, Series> byId = byId();
        try (PreparedStatement ps = writer.prepareStatement(
                "SELECT series, min(t), max(t) FROM hist_raw WHERE t >= ? GROUP BY series")) {
            ps.setLong(1, since == Long.MIN_VALUE ? 0 : since);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Series s = byId.get(rs.getLong(1));
                    if (s != null) {
                        s.firstT = Math.min(s.firstT, rs.getLong(2));
                        s.lastT = Math.max(s.lastT, rs.getLong(3));
                    }
                }
            }
        }
        for (Series s : series.values()) {
            if (!s.derived && s.lastT != Long.MIN_VALUE) {
                dataHighWater = Math.max(dataHighWater, s.lastT);
            }
        }
    }

    /**
     * Recomputes the rollups from the newest stored bucket on, from the tier below: what the last run
     * held in memory and never wrote (a crash, a failed write) comes back exactly.
     */
    private void rebuildRollupsFromRaw() throws SQLException {
        long t0 = System.nanoTime();
        if (series.isEmpty()) {
            return;
        }
        long since = Long.MAX_VALUE;
        try (PreparedStatement last = writer.prepareStatement("SELECT max(t) FROM hist_1m WHERE series = ?")) {
            for (Series s : series.values()) {
                last.setLong(1, s.id);
                try (ResultSet rs = last.executeQuery()) {
                    since = Math.min(since, rs.next() && rs.getObject(1) != null ? rs.getLong(1) : 0);
                }
            }
        }
        try (PreparedStatement ps = writer.prepareStatement(
                "INSERT OR REPLACE INTO hist_1m(series, t, mn, mx, sm, c) "
                        + "SELECT r.series, r.t - (r.t % 60000) AS b, min(r.v), max(r.v), sum(r.v), count(*) FROM hist_raw r "
                        + "WHERE r.t >= ? AND r.t >= coalesce((SELECT max(m.t) FROM hist_1m m WHERE m.series = r.series), 0) "
                        + "GROUP BY r.series, b")) {
            ps.setLong(1, since);
            ps.executeUpdate();
        }
        try (PreparedStatement last = writer.prepareStatement("SELECT max(t) FROM hist_1h WHERE series = ?");
             PreparedStatement rebuild = writer.prepareStatement(
                     "INSERT OR REPLACE INTO hist_1h(series, t, mn, mx, sm, c) "
                             + "SELECT series, t - (t % 3600000) AS b, min(mn), max(mx), sum(sm), sum(c) FROM hist_1m "
                             + "WHERE series = ? AND t >= ? GROUP BY b")) {
            for (Series s : series.values()) {
                last.setLong(1, s.id);
                long hourSince = 0;
                try (ResultSet rs = last.executeQuery()) {
                    if (rs.next() && rs.getObject(1) != null) {
                        hourSince = rs.getLong(1);
                    }
                }
                rebuild.setLong(1, s.id);
                rebuild.setLong(2, hourSince);
                rebuild.executeUpdate();
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (ms > 500) {
            log.info("history: rebuilt rollups in {} ms", ms);
        }
    }

    private void restoreLights() throws SQLException {
        try (PreparedStatement ps = writer.prepareStatement(
                "SELECT v FROM hist_raw WHERE series = ? ORDER BY t DESC LIMIT 1")) {
            for (Series s : series.values()) {
                if (s.metric.equals(LIGHTS_ON)) {
                    ps.setLong(1, s.id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            lights.restore(s.node, rs.getDouble(1) >= 0.5);
                        }
                    }
                }
            }
        }
        writer.commit();
    }

    // ---------------------------------------------------------------- intake

    /** Queues the sample for the writer; never blocks: when the queue is full the sample is dropped and counted. */
    @Override
    public void onSample(MetricSample sample) {
        if (!running || sample == null) {
            return;
        }
        received.incrementAndGet();
        // The queue has a little room above the capacity for flush/retention requests.
        if (queue.size() >= config.queueCapacity() || !queue.offer(sample)) {
            long n = dropped.incrementAndGet();
            if (n == 1 || n % 1000 == 0) {
                log.warn("history: writer queue full ({} samples), {} samples dropped so far; the disk is too slow or stuck",
                        config.queueCapacity(), n);
            }
        }
    }

    /** Queues a sample, waiting for room: for bulk loading (imports, the benchmark), not for live data. */
    public void put(MetricSample sample) throws InterruptedException {
        received.incrementAndGet();
        queue.put(sample);
    }

    /** Waits until everything queued before this call is committed. */
    public void flush(Duration timeout) {
        awaitTask(new Task(Task.Kind.FLUSH), timeout);
    }

    /** Writes the rollups held in memory now (normally done every rollupFlushMinutes), then waits. */
    public void flushRollups(Duration timeout) {
        awaitTask(new Task(Task.Kind.FLUSH_ROLLUPS), timeout);
    }

    /** Applies the retention settings now (normally done daily by the writer), then waits. */
    public void applyRetention(Duration timeout) {
        awaitTask(new Task(Task.Kind.RETENTION), timeout);
    }

    private void awaitTask(Task task, Duration timeout) {
        if (!running) {
            throw new IllegalStateException("history store is closed");
        }
        try {
            if (!queue.offer(task, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new HistoryException("history writer did not take the request within " + timeout, null);
            }
            task.done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HistoryException("interrupted while waiting for the history writer", e);
        } catch (ExecutionException e) {
            throw new HistoryException("history write failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new HistoryException("history writer did not finish within " + timeout, e);
        }
    }

    // ---------------------------------------------------------------- writer thread

    private void runWriter() {
        long flushNanos = TimeUnit.SECONDS.toNanos(config.flushSeconds());
        long rollupNanos = TimeUnit.MINUTES.toNanos(config.rollupFlushMinutes());
        long lastCommit = System.nanoTime();
        // First run a minute after start, then daily: deleting a day at once rewrites far fewer pages than
        // deleting an hour 24 times (measured by the benchmark: about 4 MB a day less written).
        lastRetentionNanos = System.nanoTime() - RETENTION_EVERY_NANOS + TimeUnit.MINUTES.toNanos(1);
        List<MetricSample> batch = new ArrayList<>();
        List<Task> tasks = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                long wait = Math.max(0, lastCommit + flushNanos - System.nanoTime());
                Object first = queue.poll(wait, TimeUnit.NANOSECONDS);
                if (first != null) {
                    take(first, batch, tasks);
                    List<Object> more = new ArrayList<>();
                    queue.drainTo(more, MAX_BATCH - batch.size());
                    for (Object o : more) {
                        take(o, batch, tasks);
                    }
                }
                boolean due = System.nanoTime() - lastCommit >= flushNanos;
                if (!(due || batch.size() >= MAX_BATCH || !tasks.isEmpty() || !running)) {
                    continue;
                }
                boolean rollupsDue = System.nanoTime() - lastRollupFlushNanos >= rollupNanos
                        || tasks.stream().anyMatch(t -> t.kind == Task.Kind.FLUSH_ROLLUPS) || !running;
                boolean ok = write(batch, rollupsDue);
                batch.clear();
                lastCommit = System.nanoTime();
                if (ok) {
                    deriveDailyFigures();
                }
                boolean retentionAsked = tasks.stream().anyMatch(t -> t.kind == Task.Kind.RETENTION);
                if (retentionAsked || System.nanoTime() - lastRetentionNanos >= RETENTION_EVERY_NANOS) {
                    retention();
                }
                for (Task t : tasks) {
                    if (ok) {
                        t.done.complete(null);
                    } else {
                        t.done.completeExceptionally(new HistoryException(String.valueOf(lastError), null));
                    }
                }
                tasks.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                fail("history writer: " + e, e);
            }
        }
        for (Task t : tasks) {
            t.done.completeExceptionally(new HistoryException("history store closed", null));
        }
    }

    private static void take(Object o, List<MetricSample> batch, List<Task> tasks) {
        if (o instanceof MetricSample s) {
            batch.add(s);
        } else if (o instanceof Task t) {
            tasks.add(t);
        }
    }

    /** One transaction: the samples (and the rollups when due). False when it failed (then retried later). */
    private boolean write(List<MetricSample> batch, boolean withRollups) {
        List<MetricSample> all = batch;
        if (!retry.isEmpty()) {
            all = new ArrayList<>(retry);
            all.addAll(batch);
            retry.clear();
        }
        if (all.isEmpty() && !(withRollups && (pendingRollups > 0 || rebuildRollups))) {
            if (withRollups) {
                lastRollupFlushNanos = System.nanoTime();
            }
            return true;
        }
        List<Series> created = new ArrayList<>();
        try {
            if (rebuildRollups) {
                clearPendingRollups();
                rebuildRollupsFromRaw();
                rebuildRollups = false;
            }
            List<MetricSample> rows = new ArrayList<>(all.size() + 16);
            List<Series> rowSeries = new ArrayList<>(all.size() + 16);
            for (MetricSample raw : all) {
                MetricSample s = normalize(raw);
                Series ser = seriesFor(s.node(), s.metric(), s.unit(), created);
                rows.add(s);
                rowSeries.add(ser);
                if (s.metric().equals("lux")) {
                    boolean on = lights.update(s.node(), s.value());
                    MetricSample d = new MetricSample(s.node(), LIGHTS_ON, on ? 1 : 0, "", s.time(), on ? "on" : "off");
                    rows.add(d);
                    rowSeries.add(seriesFor(d.node(), d.metric(), d.unit(), created));
                }
            }
            for (int i = 0; i < rows.size(); i++) {
                insertRaw.setLong(1, rows.get(i).time().toEpochMilli());
                insertRaw.setLong(2, rowSeries.get(i).id);
                insertRaw.setDouble(3, rows.get(i).value());
                insertRaw.addBatch();
            }
            int[] counts = rows.isEmpty() ? new int[0] : insertRaw.executeBatch();
            int inserted = 0;
            for (int i = 0; i < rows.size(); i++) {
                if (counts[i] != 0) { // 0: already stored (a retained message delivered again)
                    MetricSample s = rows.get(i);
                    Series ser = rowSeries.get(i);
                    long t = s.time().toEpochMilli();
                    accumulate(ser, t, s.value());
                    ser.unit = s.unit();
                    ser.firstT = Math.min(ser.firstT, t);
                    ser.lastT = Math.max(ser.lastT, t);
                    ser.dirty = true;
                    if (!ser.derived) {
                        dataHighWater = Math.max(dataHighWater, t);
                    }
                    inserted++;
                }
            }
            if (withRollups || pendingRollups >= MAX_PENDING_ROLLUPS) {
                writeRollups();
            }
            writer.commit();
            if (withRollups || pendingRollups >= MAX_PENDING_ROLLUPS) {
                clearPendingRollups();
                lastRollupFlushNanos = System.nanoTime();
            }
            written.addAndGet(inserted);
            commits.incrementAndGet();
            lastCommitAt = clock.instant();
            if (lastError != null && Duration.between(lastErrorAt, lastCommitAt).toMinutes() >= 5) {
                lastError = null;
            }
            return true;
        } catch (SQLException | RuntimeException e) {
            try {
                insertRaw.clearBatch();
                writer.rollback();
            } catch (SQLException ignored) {
                // the connection is broken; the next write reports it
            }
            for (Series s : created) {
                series.remove(key(s.node, s.metric));
            }
            // Our rollups in memory may now count samples that are not stored: rebuild them from what is.
            rebuildRollups = true;
            for (MetricSample s : all) {
                if (retry.size() >= config.queueCapacity()) {
                    dropped.incrementAndGet();
                } else {
                    retry.add(s);
                }
            }
            fail("history write failed, will retry: " + e.getMessage(), e);
            return false;
        }
    }

    private MetricSample normalize(MetricSample s) {
        String node = s.node() == null ? "" : s.node();
        String unit = s.unit() == null ? "" : s.unit();
        Instant time = s.time() == null ? clock.instant() : s.time();
        if (node == s.node() && unit == s.unit() && time == s.time()) {
            return s;
        }
        return new MetricSample(node, s.metric(), s.value(), unit, time, s.text());
    }

    private Series seriesFor(String node, String metric, String unit, List<Series> created) throws SQLException {
        String k = key(node, metric);
        Series s = series.get(k);
        if (s != null) {
            return s;
        }
        try (PreparedStatement ps = writer.prepareStatement(
                "INSERT INTO hist_series(node, metric, unit) VALUES (?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, node);
            ps.setString(2, metric);
            ps.setString(3, unit);
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                s = new Series(rs.getLong(1), node, metric, DERIVED.contains(metric));
            }
        }
        s.unit = unit;
        series.put(k, s);
        created.add(s);
        return s;
    }

    private void accumulate(Series s, long t, double v) {
        long m = t - Math.floorMod(t, Resolution.MINUTE.millis());
        if (s.lastMinuteT != m || s.lastMinute == null) {
            s.lastMinuteT = m;
            s.lastMinute = s.pendingMinute.get(m);
            if (s.lastMinute == null) {
                s.lastMinute = new Agg();
                s.pendingMinute.put(m, s.lastMinute);
                pendingRollups++;
            }
        }
        s.lastMinute.add(v);
        long h = t - Math.floorMod(t, Resolution.HOUR.millis());
        if (s.lastHourT != h || s.lastHour == null) {
            s.lastHourT = h;
            s.lastHour = s.pendingHour.get(h);
            if (s.lastHour == null) {
                s.lastHour = new Agg();
                s.pendingHour.put(h, s.lastHour);
                pendingRollups++;
            }
        }
        s.lastHour.add(v);
    }

    private void writeRollups() throws SQLException {
        List<Series> all = new ArrayList<>(series.values());
        all.sort(Comparator.comparingLong(s -> s.id));
        for (Series s : all) {
            addRollups(upsertMinute, s.id, s.pendingMinute);
            addRollups(upsertHour, s.id, s.pendingHour);
            if (s.dirty) {
                updateSeries.setString(1, s.unit == null ? "" : s.unit);
                updateSeries.setLong(2, s.firstT);
                updateSeries.setLong(3, s.lastT);
                updateSeries.setLong(4, s.id);
                updateSeries.addBatch();
            }
        }
        upsertMinute.executeBatch();
        upsertHour.executeBatch();
        updateSeries.executeBatch();
    }

    private static void addRollups(PreparedStatement ps, long id, Map<Long, Agg> pending) throws SQLException {
        List<Long> times = new ArrayList<>(pending.keySet());
        times.sort(null);
        for (long t : times) {
            Agg a = pending.get(t);
            ps.setLong(1, id);
            ps.setLong(2, t);
            ps.setDouble(3, a.min);
            ps.setDouble(4, a.max);
            ps.setDouble(5, a.sum);
            ps.setLong(6, a.count);
            ps.addBatch();
        }
    }

    private void clearPendingRollups() {
        for (Series s : series.values()) {
            s.pendingMinute.clear();
            s.pendingHour.clear();
            s.lastMinute = null;
            s.lastHour = null;
            s.dirty = false;
        }
        pendingRollups = 0;
    }

    /** Deletes what is older than each tier's retention (raw: by time range; rollups: per series). */
    private void retention() {
        lastRetentionNanos = System.nanoTime();
        long now = clock.millis();
        // Cut on bucket edges, so a rollup rebuilt from the tier below is never built from half a bucket.
        long rawCut = floor(now - TimeUnit.DAYS.toMillis(config.rawRetentionDays()), Resolution.MINUTE.millis());
        long minuteCut = floor(now - TimeUnit.DAYS.toMillis(config.minuteRetentionDays()), Resolution.HOUR.millis());
        long hourCut = config.hourRetentionDays() == 0 ? Long.MIN_VALUE : now - TimeUnit.DAYS.toMillis(config.hourRetentionDays());
        try (PreparedStatement raw = writer.prepareStatement("DELETE FROM hist_raw WHERE t < ?");
             PreparedStatement minute = writer.prepareStatement("DELETE FROM hist_1m WHERE series = ? AND t < ?");
             PreparedStatement hour = writer.prepareStatement("DELETE FROM hist_1h WHERE series = ? AND t < ?")) {
            raw.setLong(1, rawCut);
            int deleted = raw.executeUpdate();
            for (Series s : series.values()) {
                minute.setLong(1, s.id);
                minute.setLong(2, minuteCut);
                deleted += minute.executeUpdate();
                if (hourCut != Long.MIN_VALUE) {
                    hour.setLong(1, s.id);
                    hour.setLong(2, hourCut);
                    deleted += hour.executeUpdate();
                }
            }
            writer.commit();
            if (deleted > 0) {
                refreshFirstTimes();
                log.debug("history retention removed {} rows", deleted);
            }
        } catch (SQLException e) {
            try {
                writer.rollback();
            } catch (SQLException ignored) {
                // reported below
            }
            fail("history retention failed: " + e.getMessage(), e);
        }
    }

    private void refreshFirstTimes() throws SQLException {
        try (PreparedStatement h = writer.prepareStatement("SELECT min(t) FROM hist_1h WHERE series = ?");
             PreparedStatement m = writer.prepareStatement("SELECT min(t) FROM hist_1m WHERE series = ?");
             PreparedStatement r = writer.prepareStatement("SELECT t FROM hist_raw WHERE series = ? ORDER BY t LIMIT 1")) {
            for (Series s : series.values()) {
                long first = Long.MAX_VALUE;
                for (PreparedStatement ps : List.of(h, m, r)) {
                    ps.setLong(1, s.id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next() && rs.getObject(1) != null) {
                            first = Math.min(first, rs.getLong(1));
                        }
                    }
                }
                s.firstT = first;
            }
        }
        writer.commit();
    }

    // ---------------------------------------------------------------- derived daily figures

    /**
     * Once a day is over (by the data's own clock, so back-filled data works too), stores its hours of
     * light and min/max temperature per node, computed from what is stored. Remembers the last day done.
     */
    private void deriveDailyFigures() {
        if (dataHighWater == Long.MIN_VALUE) {
            return;
        }
        try {
            deriveDailyFiguresInTransaction();
        } finally {
            try {
                writer.commit(); // never leave a read snapshot open: it would hold back checkpoints
            } catch (SQLException e) {
                fail("history: cannot end transaction: " + e.getMessage(), e);
            }
        }
    }

    private void deriveDailyFiguresInTransaction() {
        try {
            LocalDate lastComplete = Instant.ofEpochMilli(dataHighWater - DAY_GRACE_MS).atZone(zone).toLocalDate().minusDays(1);
            String done = meta("derived_until");
            LocalDate next;
            if (done != null) {
                next = LocalDate.parse(done).plusDays(1);
            } else {
                long first = series.values().stream().filter(s -> !s.derived).mapToLong(s -> s.firstT).min().orElse(Long.MAX_VALUE);
                if (first == Long.MAX_VALUE) {
                    return;
                }
                next = Instant.ofEpochMilli(first).atZone(zone).toLocalDate();
            }
            LocalDate oldest = Instant.ofEpochMilli(clock.millis()).atZone(zone).toLocalDate().minusDays(config.rawRetentionDays());
            if (next.isBefore(oldest)) {
                next = oldest;
            }
            if (next.isAfter(lastComplete)) {
                return;
            }
            List<MetricSample> figures = new ArrayList<>();
            for (LocalDate day = next; !day.isAfter(lastComplete); day = day.plusDays(1)) {
                figures.addAll(dailyFigures(day));
            }
            setMeta("derived_until", lastComplete.toString());
            writer.commit();
            write(figures, false);
        } catch (SQLException | RuntimeException e) {
            try {
                writer.rollback();
            } catch (SQLException ignored) {
                // reported below
            }
            fail("history: daily figures failed: " + e.getMessage(), e);
        }
    }

    private List<MetricSample> dailyFigures(LocalDate day) throws SQLException {
        long start = day.atStartOfDay(zone).toInstant().toEpochMilli();
        long end = day.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
        Instant stamp = Instant.ofEpochMilli(start);
        List<MetricSample> out = new ArrayList<>();
        for (Series s : new ArrayList<>(series.values())) {
            if (s.metric.equals("temperature")) {
                double[] mm = minMax(s, start, end);
                if (mm != null) {
                    out.add(new MetricSample(s.node, TEMPERATURE_DAILY_MIN, mm[0], s.unit, stamp, null));
                    out.add(new MetricSample(s.node, TEMPERATURE_DAILY_MAX, mm[1], s.unit, stamp, null));
                }
            } else if (s.metric.equals(LIGHTS_ON)) {
                Double hours = lightHours(s, start, end);
                if (hours != null) {
                    out.add(new MetricSample(s.node, LIGHT_HOURS, hours, "h", stamp, null));
                }
            }
        }
        return out;
    }

    private double[] minMax(Series s, long start, long end) throws SQLException {
        SeriesRows rows = bucketRows(writer, s, Resolution.MINUTE, start, end, end - start);
        if (rows.size == 0) {
            return null;
        }
        return new double[]{rows.min[0], rows.max[0]};
    }

    private Double lightHours(Series s, long start, long end) throws SQLException {
        try (PreparedStatement ps = writer.prepareStatement(
                "SELECT t, v FROM hist_raw WHERE t >= ? AND t < ? AND series = ? ORDER BY t")) {
            ps.setLong(1, start - LIGHT_GAP_CAP_MS);
            ps.setLong(2, end);
            ps.setLong(3, s.id);
            long onMs = 0;
            boolean any = false;
            long prevT = Long.MIN_VALUE;
            boolean prevOn = false;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long t = rs.getLong(1);
                    boolean on = rs.getDouble(2) >= 0.5;
                    if (prevT != Long.MIN_VALUE && prevOn) {
                        long from = Math.max(prevT, start);
                        long to = Math.min(t, prevT + LIGHT_GAP_CAP_MS);
                        if (to > from) {
                            onMs += to - from;
                        }
                    }
                    any |= t >= start;
                    prevT = t;
                    prevOn = on;
                }
            }
            if (!any) {
                return null;
            }
            if (prevOn) {
                onMs += Math.max(0, Math.min(end, prevT + LIGHT_GAP_CAP_MS) - Math.max(prevT, start));
            }
            return onMs / 3_600_000.0;
        }
    }

    private String meta(String k) throws SQLException {
        try (PreparedStatement ps = writer.prepareStatement("SELECT v FROM hist_meta WHERE k = ?")) {
            ps.setString(1, k);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private void setMeta(String k, String v) throws SQLException {
        try (PreparedStatement ps = writer.prepareStatement("INSERT OR REPLACE INTO hist_meta(k, v) VALUES (?, ?)")) {
            ps.setString(1, k);
            ps.setString(2, v);
            ps.executeUpdate();
        }
    }

    // ---------------------------------------------------------------- queries

    /** The series the store holds, by node then metric. */
    public List<MetricInfo> metrics() {
        List<MetricInfo> out = new ArrayList<>();
        for (Series s : series.values()) {
            long first = s.firstT;
            long last = s.lastT;
            if (last == Long.MIN_VALUE) {
                continue;
            }
            out.add(new MetricInfo(s.metric, s.node, s.unit == null ? "" : s.unit,
                    Instant.ofEpochMilli(first), Instant.ofEpochMilli(last), s.derived));
        }
        out.sort(Comparator.comparing(MetricInfo::node).thenComparing(MetricInfo::metric));
        return out;
    }

    /**
     * Buckets of a metric over a time range, from the coarsest tier that still gives at least half the
     * points asked for; buckets are merged so that at most about {@code points} come back.
     *
     * @throws UnknownMetricException when the metric (or node) has no history
     */
    public HistorySeries query(HistoryQuery q) {
        Series s = resolve(q.metric(), q.node());
        long from = q.from().toEpochMilli();
        long to = q.to().toEpochMilli();
        long span = to - from;
        Resolution res = chooseResolution(span, q.points());
        long step = stepFor(res, span, q.points());
        long alignedFrom = Math.floorDiv(from, step) * step;
        Connection c = borrowReader();
        try {
            SeriesRows rows = bucketRows(c, s, res, alignedFrom, to, step);
            return new HistorySeries(s.metric, s.node, s.unit == null ? "" : s.unit, q.from(), q.to(), res, step / 1000,
                    rows.t, rows.min, rows.mean, rows.max);
        } catch (SQLException e) {
            throw new HistoryException("history query failed: " + e.getMessage(), e);
        } finally {
            try {
                c.rollback(); // ends the read snapshot
            } catch (SQLException ignored) {
                // connection broken: the next query reports it
            }
            readers.add(c);
        }
    }

    /** The coarsest tier that gives at least half the points asked for over the span. */
    static Resolution chooseResolution(long spanMillis, int points) {
        double want = points / 2.0;
        if (spanMillis / (double) Resolution.HOUR.millis() >= want) {
            return Resolution.HOUR;
        }
        if (spanMillis / (double) Resolution.MINUTE.millis() >= want) {
            return Resolution.MINUTE;
        }
        return Resolution.RAW;
    }

    /** Bucket length: a whole multiple of the tier (whole seconds for raw) giving at most about {@code points} buckets. */
    static long stepFor(Resolution res, long spanMillis, int points) {
        long unit = res == Resolution.RAW ? 1000 : res.millis();
        long perPoint = Math.max(1, (spanMillis + points - 1) / points);
        return Math.max(1, (perPoint + unit - 1) / unit) * unit;
    }

    private Series resolve(String metric, String node) {
        if (node != null && !node.isEmpty()) {
            Series s = series.get(key(node, metric));
            if (s == null || s.lastT == Long.MIN_VALUE) {
                throw new UnknownMetricException("no history for metric '" + metric + "' of node '" + node + "'");
            }
            return s;
        }
        List<Series> candidates = series.values().stream()
                .filter(s -> s.metric.equals(metric) && s.lastT != Long.MIN_VALUE).toList();
        if (candidates.isEmpty()) {
            List<String> known = series.values().stream().map(s -> s.metric).distinct().sorted().toList();
            throw new UnknownMetricException("no history for metric '" + metric + "'; known metrics: "
                    + (known.isEmpty() ? "none yet" : String.join(", ", known)));
        }
        if (candidates.size() > 1) {
            throw new UnknownMetricException("metric '" + metric + "' is kept for several nodes ("
                    + String.join(", ", candidates.stream().map(s -> s.node).sorted().toList()) + "); add node=NAME");
        }
        return candidates.get(0);
    }

    private record SeriesRows(int size, long[] t, double[] min, double[] mean, double[] max) {
    }

    /**
     * One read snapshot (the caller's transaction): where the stored rollups end, then the buckets from
     * the tier asked for, completed with the finer tiers for the recent part not rolled up yet.
     */
    private static SeriesRows bucketRows(Connection c, Series s, Resolution res, long from, long to, long step) throws SQLException {
        long hourEnd = 0;
        long minuteEnd = 0;
        if (res == Resolution.HOUR) {
            hourEnd = maxT(c, "hist_1h", s.id, Resolution.HOUR.millis());
        }
        if (res != Resolution.RAW) {
            minuteEnd = maxT(c, "hist_1m", s.id, Resolution.MINUTE.millis());
        }
        String bucket = "? + ((t - ?) / ?) * ?";
        StringBuilder sql = new StringBuilder("SELECT ").append(bucket)
                .append(" AS b, min(mn), max(mx), sum(sm), sum(c) FROM (");
        List<Long> args = new ArrayList<>(List.of(from, from, step, step));
        if (res == Resolution.HOUR) {
            sql.append("SELECT t, mn, mx, sm, c FROM hist_1h WHERE series = ? AND t >= ? AND t < ? UNION ALL ");
            args.addAll(List.of(s.id, from, to));
        }
        if (res != Resolution.RAW) {
            sql.append("SELECT t, mn, mx, sm, c FROM hist_1m WHERE series = ? AND t >= ? AND t < ? UNION ALL ");
            args.addAll(List.of(s.id, Math.max(from, hourEnd), to));
        }
        sql.append("SELECT t, v AS mn, v AS mx, v AS sm, 1 AS c FROM hist_raw WHERE t >= ? AND t < ? AND series = ?");
        args.addAll(List.of(Math.max(from, Math.max(hourEnd, minuteEnd)), to, s.id));
        sql.append(") GROUP BY b ORDER BY b");
        int cap = (int) Math.min(HistoryQuery.MAX_POINTS + 2, (to - from) / step + 2);
        long[] t = new long[cap];
        double[] mn = new double[cap];
        double[] mean = new double[cap];
        double[] mx = new double[cap];
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setLong(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && n < cap) {
                    t[n] = rs.getLong(1) / 1000;
                    mn[n] = rs.getDouble(2);
                    mx[n] = rs.getDouble(3);
                    mean[n] = rs.getDouble(4) / rs.getLong(5);
                    n++;
                }
            }
        }
        return new SeriesRows(n, java.util.Arrays.copyOf(t, n), java.util.Arrays.copyOf(mn, n),
                java.util.Arrays.copyOf(mean, n), java.util.Arrays.copyOf(mx, n));
    }

    private static long maxT(Connection c, String table, long id, long res) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT max(t) FROM " + table + " WHERE series = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getObject(1) != null ? rs.getLong(1) + res : 0;
            }
        }
    }

    private Connection borrowReader() {
        try {
            Connection c = readers.poll(10, TimeUnit.SECONDS);
            if (c == null) {
                throw new HistoryException("history store is busy; try again", null);
            }
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HistoryException("interrupted", e);
        }
    }

    // ---------------------------------------------------------------- health, stats, close

    public record Stats(long received, long written, long dropped, long commits, int queued) {
    }

    public Stats stats() {
        return new Stats(received.get(), written.get(), dropped.get(), commits.get(), queue.size());
    }

    public Path file() {
        return file;
    }

    /** For {@code GET /api/health}: DOWN when the writer stopped, DEGRADED after recent errors or drops. */
    public ComponentHealth health() {
        if (!thread.isAlive()) {
            return ComponentHealth.down("history writer stopped" + (lastError == null ? "" : ": " + lastError));
        }
        String counts = series.size() + " series, " + written.get() + " samples written, queue "
                + queue.size() + "/" + config.queueCapacity();
        if (lastError != null) {
            return ComponentHealth.degraded(lastError + " (" + counts + ")");
        }
        if (dropped.get() > 0) {
            return ComponentHealth.degraded(dropped.get() + " samples dropped because the writer fell behind (" + counts + ")");
        }
        return ComponentHealth.up(counts + (lastCommitAt == null ? "" : ", last commit " + lastCommitAt));
    }

    private void fail(String message, Throwable e) {
        lastError = message;
        lastErrorAt = clock.instant();
        log.error(message, e);
    }

    /** Writes what is queued and the rollups held in memory, then closes the database. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        queue.offer(new Task(Task.Kind.FLUSH));
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly();
    }

    private void closeQuietly() {
        for (Connection c : readers) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        try {
            writer.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }

    private Map<Long, Series> byId() {
        Map<Long, Series> m = new HashMap<>();
        series.values().forEach(s -> m.put(s.id, s));
        return m;
    }

    private static long floor(long t, long unit) {
        return t - Math.floorMod(t, unit);
    }

    private static String key(String node, String metric) {
        return node + '\u0000' + metric;
    }

    /** A request to the writer thread, completed once done. */
    private static final class Task {
        enum Kind { FLUSH, FLUSH_ROLLUPS, RETENTION }

        final Kind kind;
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Task(Kind kind) {
            this.kind = kind;
        }
    }

    /** One stored series; the pending rollups and caches belong to the writer thread. */
    private static final class Series {
        final long id;
        final String node;
        final String metric;
        final boolean derived;
        volatile String unit;
        volatile long firstT = Long.MAX_VALUE;
        volatile long lastT = Long.MIN_VALUE;
        boolean dirty;
        final Map<Long, Agg> pendingMinute = new HashMap<>();
        final Map<Long, Agg> pendingHour = new HashMap<>();
        long lastMinuteT;
        Agg lastMinute;
        long lastHourT;
        Agg lastHour;

        Series(long id, String node, String metric, boolean derived) {
            this.id = id;
            this.node = node;
            this.metric = metric;
            this.derived = derived;
        }
    }
}

package io.beeperkeeper.history;

import io.beeperkeeper.config.HistoryConfig;
import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.metric.MetricListener;
import io.beeperkeeper.metric.MetricSample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The embedded time-series store: every metric sample the hub receives, in SQLite (tables {@code hist_*}
 * in the data folder's beeper.db, WAL mode), with 1-minute and 1-hour rollups and retention.
 *
 * <p>Why it is shaped like this (an SD card and a Raspberry Pi):
 * <ul>
 *   <li>{@link #onSample} only puts the sample on a bounded queue (full: dropped and counted), so the
 *       MQTT thread never waits for the disk. One writer thread ({@link HistoryWriter}) owns the write
 *       connection and commits at most once every {@code flushSeconds}.</li>
 *   <li>Raw samples are keyed by (time, series): new rows always land on the last page, so a commit
 *       dirties a handful of 1 KiB pages, not one page per metric.</li>
 *   <li>Rollups ({@link Rollups}) are kept in memory and written every {@code rollupFlushMinutes}. A
 *       crash loses them, but they are rebuilt from the raw samples when the store opens, so it only
 *       ever loses the last uncommitted batch of samples. Queries ({@link HistoryQueries}) read the
 *       part not rolled up yet straight from the raw samples.</li>
 * </ul>
 * Derived metrics are stored like the others: {@code lights_on} (from lux, with hysteresis) as lux
 * arrives ({@link DerivedMetrics}, in front of the writer), and per day {@code light_hours},
 * {@code temperature_daily_min} and {@code temperature_daily_max} once the day is over ({@link DailyFigures}).
 *
 * <p>Building a store does no I/O; {@link #start()} (or {@link #open}) opens the file and starts the writer.
 */
public final class HistoryStore implements MetricListener, AutoCloseable {
    static final String LIGHTS_ON = DerivedMetrics.LIGHTS_ON;
    static final String LIGHT_HOURS = DerivedMetrics.LIGHT_HOURS;
    static final String TEMPERATURE_DAILY_MIN = DerivedMetrics.TEMPERATURE_DAILY_MIN;
    static final String TEMPERATURE_DAILY_MAX = DerivedMetrics.TEMPERATURE_DAILY_MAX;

    private final Path file;
    private final HistoryConfig config;
    private final Clock clock;
    private final SeriesCatalog catalog = new SeriesCatalog();
    private final Uncommitted uncommitted = new Uncommitted();
    private final LongAdder received = new LongAdder();
    private volatile HistoryDb db;
    private volatile HistoryWriter writer;
    private volatile DerivedMetrics derived;
    private volatile HistoryQueries queries;
    private volatile boolean closed;

    HistoryStore(Path file, HistoryConfig config, Clock clock) {
        this.file = file;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Opens (creating when needed) the store in {@code file}, rebuilds rollups lost in a crash and starts
     * the writer thread.
     *
     * @throws HistoryException naming the file and the fix when it cannot be opened
     */
    public static HistoryStore open(Path file, HistoryConfig config, Clock clock) {
        HistoryStore s = new HistoryStore(file, config, clock);
        s.start();
        return s;
    }

    /**
     * Opens the file, rebuilds rollups lost in a crash, restores each node's lights state and starts the
     * writer thread. Samples handed in before this are ignored.
     *
     * @throws HistoryException naming the file and the fix when it cannot be opened
     */
    void start() {
        if (db != null || closed) {
            throw new IllegalStateException("history store already started");
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new HistoryException("cannot create the data folder for " + file + ": " + e.getMessage()
                    + "; set data.dir to a writable folder", e);
        }
        HistoryDb d = null;
        try {
            d = HistoryDb.open(file);
            catalog.load(d.writer());
            Rollups.rebuildFromRaw(d.writer(), catalog);
            d.writer().commit();
            HistoryWriter w = new HistoryWriter(config, clock, d, catalog, uncommitted);
            DerivedMetrics dm = new DerivedMetrics(config.lightsOnLux(), config.lightsOffLux(), w::offer);
            dm.restore(d.writer(), catalog);
            d.writer().commit();
            queries = new HistoryQueries(d, catalog, uncommitted);
            derived = dm;
            writer = w;
            db = d;
            w.start();
        } catch (SQLException | RuntimeException e) {
            if (d != null) {
                d.close();
            }
            if (e instanceof HistoryException h) {
                throw h;
            }
            throw new HistoryException("cannot open the history database " + file + ": " + e.getMessage()
                    + "; check that the file is writable and not damaged (move it away to start a new one)", e);
        }
    }

    // ---------------------------------------------------------------- intake

    /** Queues the sample for the writer; never blocks: when the queue is full the sample is dropped and counted. */
    @Override
    public void onSample(MetricSample sample) {
        HistoryWriter w = writer;
        if (w == null || !w.accepting() || sample == null) {
            return;
        }
        received.increment();
        derived.onSample(normalize(sample));
    }

    /** Queues a sample, waiting for room: for bulk loading (imports, the benchmark), not for live data. */
    public void put(MetricSample sample) throws InterruptedException {
        HistoryWriter w = started();
        received.increment();
        for (MetricSample s : derived.expand(normalize(sample))) {
            w.put(s);
        }
    }

    /** Null node and unit become empty, a missing time the time of arrival. */
    private MetricSample normalize(MetricSample s) {
        String node = s.node() == null ? "" : s.node();
        String unit = s.unit() == null ? "" : s.unit();
        Instant time = s.time() == null ? clock.instant() : s.time();
        if (node == s.node() && unit == s.unit() && time == s.time()) {
            return s;
        }
        return new MetricSample(node, s.metric(), s.value(), unit, time, s.text());
    }

    /** Waits until everything queued before this call is committed. */
    public void flush(Duration timeout) {
        started().await(new WriterTask.Flush(), timeout);
    }

    /** Writes the rollups held in memory now (normally done every rollupFlushMinutes), then waits. */
    public void flushRollups(Duration timeout) {
        started().await(new WriterTask.FlushRollups(), timeout);
    }

    /** Applies the retention settings now (normally done daily by the writer), then waits. */
    public void applyRetention(Duration timeout) {
        started().await(new WriterTask.ApplyRetention(), timeout);
    }

    private HistoryWriter started() {
        HistoryWriter w = writer;
        if (w == null || !w.accepting()) {
            throw new IllegalStateException(closed ? "history store is closed" : "history store is not started");
        }
        return w;
    }

    // ---------------------------------------------------------------- queries

    /** The series the store holds (readings not committed yet included), by node then metric. */
    public List<MetricInfo> metrics() {
        return opened().metrics();
    }

    /**
     * Buckets of a metric over a time range, from the coarsest tier that still gives at least half the
     * points asked for; buckets are merged so that at most about {@code points} come back. Readings the
     * writer has not committed yet are included.
     *
     * @throws UnknownMetricException when the metric (or node) has no history
     */
    public HistorySeries query(HistoryQuery q) {
        return opened().query(q);
    }

    private HistoryQueries opened() {
        HistoryQueries q = queries;
        if (q == null) {
            throw new IllegalStateException("history store is not started");
        }
        return q;
    }

    static Resolution chooseResolution(long spanMillis, int points) {
        return HistoryQueries.chooseResolution(spanMillis, points);
    }

    static long stepFor(Resolution res, long spanMillis, int points) {
        return HistoryQueries.stepFor(res, spanMillis, points);
    }

    // ---------------------------------------------------------------- health, stats, close

    /** @param errors failed writes (commits, daily figures, retention) */
    public record Stats(long received, long written, long dropped, long commits, int queued, long errors) {
    }

    public Stats stats() {
        HistoryWriter w = writer;
        if (w == null) {
            return new Stats(received.sum(), 0, 0, 0, 0, 0);
        }
        return new Stats(received.sum(), w.written(), w.dropped(), w.commits(), w.queued(), w.errors());
    }

    public Path file() {
        return file;
    }

    /**
     * For {@code GET /api/health}: DOWN when the writer stopped; DEGRADED while commits fail (a full
     * disk: SQLite's reason and how many readings wait), after other recent errors, or once readings were
     * dropped; a commit failure that is over says when writes recovered.
     */
    public ComponentHealth health() {
        HistoryWriter w = writer;
        if (w == null) {
            return ComponentHealth.down(closed ? "closed" : "not open");
        }
        String lastError = w.lastError();
        if (!w.alive()) {
            return ComponentHealth.down("history writer stopped" + (lastError == null ? "" : ": " + lastError));
        }
        String counts = catalog.size() + " series, " + w.written() + " samples written, queue "
                + w.queued() + "/" + config.queueCapacity();
        if (lastError != null && w.failing()) {
            return ComponentHealth.degraded(lastError + "; " + w.held() + " readings kept for the retry (" + counts + ")");
        }
        Instant recoveredAt = w.recoveredAt();
        if (lastError != null && recoveredAt != null) {
            String note = "recovered at " + recoveredAt + " after: " + lastError;
            if (w.dropped() > 0) {
                return ComponentHealth.degraded(note + "; " + w.dropped() + " samples dropped meanwhile (" + counts + ")");
            }
            return ComponentHealth.up(note + " (" + counts + ")");
        }
        if (lastError != null) {
            return ComponentHealth.degraded(lastError + " (" + counts + ")");
        }
        if (w.dropped() > 0) {
            return ComponentHealth.degraded(w.dropped() + " samples dropped because the writer fell behind (" + counts + ")");
        }
        Instant lastCommitAt = w.lastCommitAt();
        return ComponentHealth.up(counts + (lastCommitAt == null ? "" : ", last commit " + lastCommitAt));
    }

    /** Writes what is queued and the rollups held in memory, then closes the database. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        HistoryWriter w = writer;
        if (w != null) {
            w.stop();
        }
        HistoryDb d = db;
        if (d != null) {
            d.close();
        }
    }
}

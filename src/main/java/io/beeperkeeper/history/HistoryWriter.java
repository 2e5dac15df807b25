package io.beeperkeeper.history;

import io.beeperkeeper.config.HistoryConfig;
import io.beeperkeeper.feature.Threads;
import io.beeperkeeper.metric.MetricSample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one thread that writes: takes samples and requests from a bounded queue and commits at most once
 * every {@code flushSeconds} (sooner when asked or when a batch is full), so the MQTT thread never waits
 * for the disk and the SD card sees few, small commits.
 *
 * <p>Raw rows are inserted with OR IGNORE and only rows really inserted feed the rollups, so a retained
 * MQTT message delivered twice is counted once. With {@code rawIntervalSeconds} the raw tier keeps the
 * first sample of each window and the others feed the rollups alone ({@link RawThinning}). A failed commit keeps its samples (up to the queue's
 * capacity, the rest dropped and counted) and retries them with the next batch.
 */
final class HistoryWriter {
    private static final Logger log = LoggerFactory.getLogger(HistoryWriter.class);
    private static final int MAX_BATCH = 20_000;
    private static final long RETENTION_EVERY_NANOS = TimeUnit.HOURS.toNanos(24);

    private final HistoryConfig config;
    private final Clock clock;
    private final HistoryDb db;
    private final SeriesCatalog catalog;
    private final Rollups rollups;
    private final Retention retention;
    private final RawThinning thinning;
    private final DailyFigures daily;
    private final BlockingQueue<WriterTask> queue;
    private final Uncommitted uncommitted;

    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile Instant lastCommitAt;
    /** True while writes fail; {@code recoveredAt} is set when they work again after {@link #lastError}. */
    private volatile boolean failing;
    private volatile Instant recoveredAt;
    private volatile int held;
    private volatile boolean running;
    private volatile Thread thread;

    // Writer thread only.
    private final List<MetricSample> retry = new ArrayList<>();
    private long lastRetentionNanos;

    HistoryWriter(HistoryConfig config, Clock clock, HistoryDb db, SeriesCatalog catalog, Uncommitted uncommitted) {
        this.config = config;
        this.uncommitted = uncommitted;
        this.clock = clock;
        this.db = db;
        this.catalog = catalog;
        this.rollups = new Rollups(catalog);
        this.retention = new Retention(config, clock, catalog);
        this.thinning = new RawThinning(config.rawIntervalSeconds());
        this.daily = new DailyFigures(db, catalog, config.zone(), clock, config.rawRetentionDays());
        // a little room above the capacity for flush and retention requests
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity() + 16);
    }

    void start() {
        running = true;
        thread = Threads.start("history-writer", this::run);
    }

    boolean accepting() {
        return running;
    }

    /** Queues a sample; never blocks: when the queue is full the sample is dropped and counted. */
    void offer(MetricSample sample) {
        // shown before the writer can take it, so it is never removed before it is added
        boolean shown = uncommitted.add(sample);
        if (queue.size() >= config.queueCapacity() || !queue.offer(new WriterTask.Sample(sample))) {
            if (shown) {
                uncommitted.remove(sample);
            }
            long n = dropped.incrementAndGet();
            if (n == 1 || n % 1000 == 0) {
                log.warn("history: writer queue full ({} samples), {} samples dropped so far; the disk is too slow or stuck",
                        config.queueCapacity(), n);
            }
        }
    }

    /** Queues a sample, waiting for room (bulk loading). */
    void put(MetricSample sample) throws InterruptedException {
        boolean shown = uncommitted.add(sample);
        try {
            queue.put(new WriterTask.Sample(sample));
        } catch (InterruptedException e) {
            if (shown) {
                uncommitted.remove(sample);
            }
            throw e;
        }
    }

    /** Hands the writer a request and waits until it is done. */
    void await(WriterTask.Request request, Duration timeout) {
        if (!running) {
            throw new IllegalStateException("history store is closed");
        }
        try {
            if (!queue.offer(request, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new HistoryException("history writer did not take the request within " + timeout, null);
            }
            request.done().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HistoryException("interrupted while waiting for the history writer", e);
        } catch (ExecutionException e) {
            throw new HistoryException("history write failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new HistoryException("history writer did not finish within " + timeout, e);
        }
    }

    /** Writes what is queued and the rollups held in memory, then stops the thread. */
    void stop() {
        if (!running) {
            return;
        }
        running = false;
        queue.offer(new WriterTask.Flush());
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean alive() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    int queued() {
        return queue.size();
    }

    long dropped() {
        return dropped.get();
    }

    long written() {
        return written.get();
    }

    long commits() {
        return commits.get();
    }

    /** Writes that failed (a commit, the daily figures, retention), each counted once. */
    long errors() {
        return errors.get();
    }

    String lastError() {
        return lastError;
    }

    Instant lastCommitAt() {
        return lastCommitAt;
    }

    /** True while commits fail (the readings wait for a retry). */
    boolean failing() {
        return failing;
    }

    /** When commits worked again after the last error, or null when that error is not a failed commit. */
    Instant recoveredAt() {
        return recoveredAt;
    }

    /** Readings kept for the retry of a failed commit. */
    int held() {
        return held;
    }

    private void run() {
        long flushNanos = TimeUnit.SECONDS.toNanos(config.flushSeconds());
        long rollupNanos = TimeUnit.MINUTES.toNanos(config.rollupFlushMinutes());
        long lastCommit = System.nanoTime();
        // First run a minute after start, then daily: deleting a day at once rewrites far fewer pages than
        // deleting an hour 24 times (measured by the benchmark: about 4 MB a day less written).
        lastRetentionNanos = System.nanoTime() - RETENTION_EVERY_NANOS + TimeUnit.MINUTES.toNanos(1);
        WriterTask.Batch batch = new WriterTask.Batch();
        List<WriterTask> more = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                long wait = Math.max(0, lastCommit + flushNanos - System.nanoTime());
                WriterTask first = queue.poll(wait, TimeUnit.NANOSECONDS);
                if (first != null) {
                    first.addTo(batch);
                    queue.drainTo(more, MAX_BATCH - batch.samples.size());
                    more.forEach(t -> t.addTo(batch));
                    more.clear();
                }
                boolean due = System.nanoTime() - lastCommit >= flushNanos;
                if (!(due || batch.samples.size() >= MAX_BATCH || !batch.requests.isEmpty() || !running)) {
                    continue;
                }
                boolean rollupsDue = System.nanoTime() - rollups.lastFlushNanos() >= rollupNanos
                        || batch.rollupsAsked() || !running;
                boolean ok = write(batch.samples, rollupsDue);
                batch.samples.clear();
                lastCommit = System.nanoTime();
                if (ok) {
                    deriveDailyFigures();
                }
                if (batch.retentionAsked() || System.nanoTime() - lastRetentionNanos >= RETENTION_EVERY_NANOS) {
                    retention();
                }
                for (WriterTask.Request r : batch.requests) {
                    if (ok) {
                        r.done().complete(null);
                    } else {
                        r.done().completeExceptionally(new HistoryException(String.valueOf(lastError), null));
                    }
                }
                batch.requests.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                fail("history writer: " + e, e);
            }
        }
        for (WriterTask.Request r : batch.requests) {
            r.done().completeExceptionally(new HistoryException("history store closed", null));
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
        if (all.isEmpty() && !(withRollups && !rollups.idle())) {
            if (withRollups) {
                rollups.flushed();
            }
            return true;
        }
        List<Series> created = new ArrayList<>();
        Connection c = db.writer();
        try {
            rollups.rebuildIfDistrusted(c);
            List<MetricSample> rows = new ArrayList<>(all.size());
            List<Series> rowSeries = new ArrayList<>(all.size());
            int inserted = 0;
            int[] counts;
            try (PreparedStatement insert = c.prepareStatement("INSERT OR IGNORE INTO hist_raw(t, series, v) VALUES (?, ?, ?)")) {
                for (MetricSample s : all) {
                    Series ser = catalog.getOrCreate(c, s.node(), s.metric(), s.unit(), created);
                    long t = s.time().toEpochMilli();
                    switch (thinning.judge(ser, t)) {
                        case STORE -> {
                            rows.add(s);
                            rowSeries.add(ser);
                            insert.setLong(1, t);
                            insert.setLong(2, ser.id);
                            insert.setDouble(3, s.value());
                            insert.addBatch();
                        }
                        case FIGURES_ONLY -> {
                            rollups.add(ser, t, s.value());
                            catalog.stored(ser, t, s.unit());
                            inserted++;
                        }
                        case DUPLICATE -> {
                            // counted already
                        }
                    }
                }
                counts = rows.isEmpty() ? new int[0] : insert.executeBatch();
            }
            for (int i = 0; i < rows.size(); i++) {
                if (counts[i] != 0) { // 0: already stored (a retained message delivered again)
                    MetricSample s = rows.get(i);
                    Series ser = rowSeries.get(i);
                    long t = s.time().toEpochMilli();
                    rollups.add(ser, t, s.value());
                    catalog.stored(ser, t, s.unit());
                    inserted++;
                }
            }
            boolean rollupsNow = rollups.mustWrite(withRollups);
            if (rollupsNow) {
                rollups.write(c);
            }
            c.commit();
            if (rollupsNow) {
                rollups.clear();
                rollups.flushed();
            }
            uncommitted.removeAll(all);
            written.addAndGet(inserted);
            commits.incrementAndGet();
            lastCommitAt = clock.instant();
            if (failing) {
                failing = false;
                held = 0;
                recoveredAt = lastCommitAt;
                log.info("history: writes work again; {} readings kept meanwhile are stored", all.size());
            }
            if (lastError != null && Duration.between(lastErrorAt, lastCommitAt).toMinutes() >= 5) {
                lastError = null;
            }
            return true;
        } catch (SQLException | RuntimeException e) {
            db.abandonWrite();
            catalog.forget(created);
            thinning.forget();
            // Our rollups in memory may now count samples that are not stored: rebuild them from what is.
            rollups.distrust();
            for (MetricSample s : all) {
                if (retry.size() >= config.queueCapacity()) {
                    dropped.incrementAndGet();
                    uncommitted.remove(s);
                } else {
                    retry.add(s);
                }
            }
            fail("history write failed, will retry: " + e.getMessage(), e);
            failing = true;
            held = retry.size();
            return false;
        }
    }

    /** After a commit: stores the figures of each day that is now over. */
    private void deriveDailyFigures() {
        if (catalog.dataHighWater() == Long.MIN_VALUE) {
            return;
        }
        try {
            List<MetricSample> figures = daily.due();
            db.writer().commit();
            write(figures, false);
        } catch (SQLException | RuntimeException e) {
            db.abandonWrite();
            fail("history: daily figures failed: " + e.getMessage(), e);
        } finally {
            try {
                db.writer().commit(); // never leave a read snapshot open: it would hold back checkpoints
            } catch (SQLException e) {
                fail("history: cannot end transaction: " + e.getMessage(), e);
            }
        }
    }

    private void retention() {
        lastRetentionNanos = System.nanoTime();
        try {
            int deleted = retention.apply(db.writer());
            if (deleted > 0) {
                log.debug("history retention removed {} rows", deleted);
            }
        } catch (SQLException e) {
            db.abandonWrite();
            fail("history retention failed: " + e.getMessage(), e);
        }
    }

    private void fail(String message, Throwable e) {
        errors.incrementAndGet();
        recoveredAt = null;
        lastError = message;
        lastErrorAt = clock.instant();
        log.error(message, e);
    }
}

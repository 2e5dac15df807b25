package io.beeperkeeper.history;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The 1-minute and 1-hour rollups: filled in memory as samples are stored and written every
 * {@code rollupFlushMinutes} (merged into what is stored with an upsert), so the SD card sees one
 * write per bucket, not one per sample. What a crash or a failed write loses is rebuilt from the tier
 * below, exactly. Writer thread only.
 */
final class Rollups {
    private static final Logger log = LoggerFactory.getLogger(Rollups.class);
    /** Buckets held in memory before they are written, whatever the schedule. */
    private static final int MAX_PENDING = 100_000;

    private final SeriesCatalog catalog;
    private int pending;
    private boolean rebuild;
    private long lastFlushNanos = System.nanoTime();

    Rollups(SeriesCatalog catalog) {
        this.catalog = catalog;
    }

    /** Adds a stored sample to its minute and hour buckets. */
    void add(Series s, long t, double v) {
        long m = t - Math.floorMod(t, Resolution.MINUTE.millis());
        if (s.lastMinuteT != m || s.lastMinute == null) {
            s.lastMinuteT = m;
            s.lastMinute = s.pendingMinute.get(m);
            if (s.lastMinute == null) {
                s.lastMinute = new Agg();
                s.pendingMinute.put(m, s.lastMinute);
                pending++;
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
                pending++;
            }
        }
        s.lastHour.add(v);
    }

    /** True when the buckets held in memory must be written with this transaction. */
    boolean mustWrite(boolean due) {
        return due || pending >= MAX_PENDING;
    }

    /** True when a scheduled rollup write would have nothing to do. */
    boolean idle() {
        return pending == 0 && !rebuild;
    }

    long lastFlushNanos() {
        return lastFlushNanos;
    }

    /** Notes a rollup write (or one with nothing to write) for the schedule. */
    void flushed() {
        lastFlushNanos = System.nanoTime();
    }

    /** Adds the buckets and the series spans to the writer's transaction. */
    void write(Connection c) throws SQLException {
        List<Series> all = new ArrayList<>(catalog.all());
        all.sort(Comparator.comparingLong(s -> s.id));
        try (PreparedStatement minute = c.prepareStatement(upsertSql("hist_1m"));
             PreparedStatement hour = c.prepareStatement(upsertSql("hist_1h"));
             PreparedStatement span = c.prepareStatement("UPDATE hist_series SET unit = ?, first_t = ?, last_t = ? WHERE id = ?")) {
            for (Series s : all) {
                addRows(minute, s.id, s.pendingMinute);
                addRows(hour, s.id, s.pendingHour);
                if (s.dirty) {
                    span.setString(1, s.unit == null ? "" : s.unit);
                    span.setLong(2, s.firstT);
                    span.setLong(3, s.lastT);
                    span.setLong(4, s.id);
                    span.addBatch();
                }
            }
            minute.executeBatch();
            hour.executeBatch();
            span.executeBatch();
        }
    }

    private static String upsertSql(String table) {
        return "INSERT INTO " + table + "(series, t, mn, mx, sm, c) VALUES (?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT(series, t) DO UPDATE SET mn = min(mn, excluded.mn), mx = max(mx, excluded.mx), "
                + "sm = sm + excluded.sm, c = c + excluded.c";
    }

    private static void addRows(PreparedStatement ps, long id, Map<Long, Agg> buckets) throws SQLException {
        List<Long> times = new ArrayList<>(buckets.keySet());
        times.sort(null);
        for (long t : times) {
            Agg a = buckets.get(t);
            ps.setLong(1, id);
            ps.setLong(2, t);
            ps.setDouble(3, a.min);
            ps.setDouble(4, a.max);
            ps.setDouble(5, a.sum);
            ps.setLong(6, a.count);
            ps.addBatch();
        }
    }

    /** Forgets what is held in memory (after it is committed). */
    void clear() {
        for (Series s : catalog.all()) {
            s.pendingMinute.clear();
            s.pendingHour.clear();
            s.lastMinute = null;
            s.lastHour = null;
            s.dirty = false;
        }
        pending = 0;
    }

    /** After a failed write the buckets in memory may count samples that are not stored. */
    void distrust() {
        rebuild = true;
    }

    /** Before the next write after a failure: the buckets come back from what is stored. */
    void rebuildIfDistrusted(Connection c) throws SQLException {
        if (rebuild) {
            clear();
            rebuildFromRaw(c, catalog);
            rebuild = false;
        }
    }

    /**
     * Recomputes the rollups from the newest stored bucket on, from the tier below: what the last run
     * held in memory and never wrote (a crash, a failed write) comes back exactly.
     */
    static void rebuildFromRaw(Connection c, SeriesCatalog catalog) throws SQLException {
        long t0 = System.nanoTime();
        if (catalog.isEmpty()) {
            return;
        }
        long since = Long.MAX_VALUE;
        try (PreparedStatement last = c.prepareStatement("SELECT max(t) FROM hist_1m WHERE series = ?")) {
            for (Series s : catalog.all()) {
                last.setLong(1, s.id);
                try (ResultSet rs = last.executeQuery()) {
                    since = Math.min(since, rs.next() && rs.getObject(1) != null ? rs.getLong(1) : 0);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT OR REPLACE INTO hist_1m(series, t, mn, mx, sm, c) "
                        + "SELECT r.series, r.t - (r.t % 60000) AS b, min(r.v), max(r.v), sum(r.v), count(*) FROM hist_raw r "
                        + "WHERE r.t >= ? AND r.t >= coalesce((SELECT max(m.t) FROM hist_1m m WHERE m.series = r.series), 0) "
                        + "GROUP BY r.series, b")) {
            ps.setLong(1, since);
            ps.executeUpdate();
        }
        try (PreparedStatement last = c.prepareStatement("SELECT max(t) FROM hist_1h WHERE series = ?");
             PreparedStatement rebuild = c.prepareStatement(
                     "INSERT OR REPLACE INTO hist_1h(series, t, mn, mx, sm, c) "
                             + "SELECT series, t - (t % 3600000) AS b, min(mn), max(mx), sum(sm), sum(c) FROM hist_1m "
                             + "WHERE series = ? AND t >= ? GROUP BY b")) {
            for (Series s : catalog.all()) {
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
}

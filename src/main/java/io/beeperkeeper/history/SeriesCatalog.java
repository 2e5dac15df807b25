package io.beeperkeeper.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The series the store knows ({@code hist_series}), by node and metric: loaded when the store opens,
 * extended by the writer as new metrics arrive, read by queries on any thread.
 */
final class SeriesCatalog {
    private final Map<String, Series> series = new ConcurrentHashMap<>();
    /** Newest time of a measured (not derived) sample stored: the data's own clock. Writer thread only. */
    private long dataHighWater = Long.MIN_VALUE;

    static String key(String node, String metric) {
        return node + '\u0000' + metric;
    }

    /** Reads every series and its span, including samples committed after the span was last written. */
    void load(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, node, metric, unit, first_t, last_t FROM hist_series")) {
            while (rs.next()) {
                Series s = new Series(rs.getLong(1), rs.getString(2), rs.getString(3), DerivedMetrics.isDerived(rs.getString(3)));
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
        try (PreparedStatement ps = c.prepareStatement(
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
            if (!s.derived && s.hasData()) {
                dataHighWater = Math.max(dataHighWater, s.lastT);
            }
        }
    }

    Series get(String node, String metric) {
        return series.get(key(node, metric));
    }

    /** The series of this node and metric, created in the writer's transaction when new (and added to {@code created}). */
    Series getOrCreate(Connection writer, String node, String metric, String unit, List<Series> created) throws SQLException {
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
                s = new Series(rs.getLong(1), node, metric, DerivedMetrics.isDerived(metric));
            }
        }
        s.unit = unit;
        series.put(k, s);
        created.add(s);
        return s;
    }

    /** Forgets series whose creation was rolled back. */
    void forget(List<Series> rolledBack) {
        for (Series s : rolledBack) {
            series.remove(key(s.node, s.metric));
        }
    }

    /** Records that a sample of {@code s} at {@code t} is stored. */
    void stored(Series s, long t, String unit) {
        s.unit = unit;
        s.firstT = Math.min(s.firstT, t);
        s.lastT = Math.max(s.lastT, t);
        s.dirty = true;
        if (!s.derived) {
            dataHighWater = Math.max(dataHighWater, t);
        }
    }

    long dataHighWater() {
        return dataHighWater;
    }

    Collection<Series> all() {
        return series.values();
    }

    /** A copy, safe to walk while the writer adds series. */
    List<Series> snapshot() {
        return new ArrayList<>(series.values());
    }

    int size() {
        return series.size();
    }

    boolean isEmpty() {
        return series.isEmpty();
    }

    Map<Long, Series> byId() {
        Map<Long, Series> m = new HashMap<>();
        series.values().forEach(s -> m.put(s.id, s));
        return m;
    }
}

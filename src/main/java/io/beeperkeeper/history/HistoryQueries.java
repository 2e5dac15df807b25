package io.beeperkeeper.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Answers the charts: which series exist, and the buckets of one over a time range, read on the pooled
 * read-only connections from the coarsest tier that gives enough points, completed with the finer
 * tiers for the recent part not rolled up yet.
 */
final class HistoryQueries {
    private final HistoryDb db;
    private final SeriesCatalog catalog;

    HistoryQueries(HistoryDb db, SeriesCatalog catalog) {
        this.db = db;
        this.catalog = catalog;
    }

    /** The series the store holds, by node then metric. */
    List<MetricInfo> metrics() {
        List<MetricInfo> out = new ArrayList<>();
        for (Series s : catalog.snapshot()) {
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

    /** See {@link HistoryStore#query}. */
    HistorySeries query(HistoryQuery q) {
        Series s = resolve(q.metric(), q.node());
        long from = q.from().toEpochMilli();
        long to = q.to().toEpochMilli();
        long span = to - from;
        Resolution res = chooseResolution(span, q.points());
        long step = stepFor(res, span, q.points());
        long alignedFrom = Math.floorDiv(from, step) * step;
        Buckets rows;
        try {
            rows = db.read(c -> stored(c, s, res, alignedFrom, to, step));
        } catch (SQLException e) {
            throw new HistoryException("history query failed: " + e.getMessage(), e);
        }
        int cap = (int) Math.min(HistoryQuery.MAX_POINTS + 2, (to - alignedFrom) / step + 2);
        return rows.toSeries(s.metric, s.node, s.unit == null ? "" : s.unit, q.from(), q.to(), res, step / 1000, cap);
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
            Series s = catalog.get(node, metric);
            if (s == null || !s.hasData()) {
                throw new UnknownMetricException("no history for metric '" + metric + "' of node '" + node + "'");
            }
            return s;
        }
        List<Series> candidates = catalog.all().stream().filter(s -> s.metric.equals(metric) && s.hasData()).toList();
        if (candidates.isEmpty()) {
            List<String> known = catalog.all().stream().map(s -> s.metric).distinct().sorted().toList();
            throw new UnknownMetricException("no history for metric '" + metric + "'; known metrics: "
                    + (known.isEmpty() ? "none yet" : String.join(", ", known)));
        }
        if (candidates.size() > 1) {
            throw new UnknownMetricException("metric '" + metric + "' is kept for several nodes ("
                    + String.join(", ", candidates.stream().map(s -> s.node).sorted().toList()) + "); add node=NAME");
        }
        return candidates.get(0);
    }

    /** Buckets of {@code step} ms from {@code from}, by their start in epoch milliseconds. */
    static final class Buckets {
        private final TreeMap<Long, Agg> rows = new TreeMap<>();
        private final long from;
        private final long step;

        Buckets(long from, long step) {
            this.from = from;
            this.step = step;
        }

        /** Adds a sample, or a row of a tier, whose time is {@code t} (in the range asked for). */
        void add(long t, double mn, double mx, double sm, long c) {
            long b = from + Math.floorDiv(t - from, step) * step;
            rows.computeIfAbsent(b, k -> new Agg()).merge(mn, mx, sm, c);
        }

        int size() {
            return rows.size();
        }

        /** The earliest bucket; for a single-bucket read. */
        Agg first() {
            return rows.firstEntry().getValue();
        }

        HistorySeries toSeries(String metric, String node, String unit, Instant qFrom, Instant qTo,
                               Resolution res, long stepSeconds, int cap) {
            int n = Math.min(cap, rows.size());
            long[] t = new long[n];
            double[] mn = new double[n];
            double[] mean = new double[n];
            double[] mx = new double[n];
            int i = 0;
            for (Map.Entry<Long, Agg> e : rows.entrySet()) {
                if (i == n) {
                    break;
                }
                Agg a = e.getValue();
                t[i] = e.getKey() / 1000;
                mn[i] = a.min;
                mx[i] = a.max;
                mean[i] = a.sum / a.count;
                i++;
            }
            return new HistorySeries(metric, node, unit, qFrom, qTo, res, stepSeconds, t, mn, mean, mx);
        }
    }

    /**
     * The stored buckets, in the caller's read snapshot: where the stored rollups end, then the buckets
     * from the tier asked for, completed with the finer tiers for the recent part not rolled up yet.
     */
    static Buckets stored(Connection c, Series s, Resolution res, long from, long to, long step) throws SQLException {
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
        sql.append(") GROUP BY b");
        Buckets out = new Buckets(from, step);
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setLong(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getLong(5));
                }
            }
        }
        return out;
    }

    private static long maxT(Connection c, String table, long id, long res) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT max(t) FROM " + table + " WHERE series = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getObject(1) != null ? rs.getLong(1) + res : 0;
            }
        }
    }
}

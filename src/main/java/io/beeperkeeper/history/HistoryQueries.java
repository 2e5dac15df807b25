package io.beeperkeeper.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Answers the charts: which series exist, and the buckets of one over a time range, read on the pooled
 * read-only connections from the coarsest tier that gives enough points, completed with the finer
 * tiers for the recent part not rolled up yet.
 */
final class HistoryQueries {
    private final HistoryDb db;
    private final SeriesCatalog catalog;
    private final Uncommitted uncommitted;

    HistoryQueries(HistoryDb db, SeriesCatalog catalog, Uncommitted uncommitted) {
        this.db = db;
        this.catalog = catalog;
        this.uncommitted = uncommitted;
    }

    /** The series the store holds, readings not committed yet included, by node then metric. */
    List<MetricInfo> metrics() {
        // pending first: a reading committed meanwhile is then in the series' span
        Map<String, Uncommitted.Span> pending = new HashMap<>();
        uncommitted.spans().forEach(p -> pending.put(SeriesCatalog.key(p.node(), p.metric()), p));
        List<MetricInfo> out = new ArrayList<>();
        for (Series s : catalog.snapshot()) {
            Uncommitted.Span p = pending.remove(SeriesCatalog.key(s.node, s.metric));
            long first = s.firstT;
            long last = s.lastT;
            if (p != null) {
                first = Math.min(first, p.first());
                last = Math.max(last, p.last());
            }
            if (last == Long.MIN_VALUE) {
                continue;
            }
            out.add(new MetricInfo(s.metric, s.node, s.unit == null ? "" : s.unit,
                    Instant.ofEpochMilli(first), Instant.ofEpochMilli(last), s.derived));
        }
        for (Uncommitted.Span p : pending.values()) {
            out.add(new MetricInfo(p.metric(), p.node(), p.unit(), Instant.ofEpochMilli(p.first()),
                    Instant.ofEpochMilli(p.last()), DerivedMetrics.isDerived(p.metric())));
        }
        out.sort(Comparator.comparing(MetricInfo::node).thenComparing(MetricInfo::metric));
        return out;
    }

    /** See {@link HistoryStore#query}. */
    HistorySeries query(HistoryQuery q) {
        MetricInfo m = resolve(q.metric(), q.node());
        long from = q.from().toEpochMilli();
        long to = q.to().toEpochMilli();
        long span = to - from;
        Resolution res = chooseResolution(span, q.points());
        long step = stepFor(res, span, q.points());
        long alignedFrom = Math.floorDiv(from, step) * step;
        // Pending readings are read before the database snapshot: one committed in between is then
        // found stored and counted once.
        NavigableMap<Long, Double> pending = uncommitted.values(m.node(), m.metric(), alignedFrom, to);
        Series s = catalog.get(m.node(), m.metric());
        Buckets rows;
        try {
            rows = db.read(c -> {
                Buckets b = s == null ? new Buckets(alignedFrom, step) : stored(c, s, res, alignedFrom, to, step);
                Set<Long> already = s == null ? Set.of() : storedTimes(c, s, pending.keySet());
                for (Map.Entry<Long, Double> e : pending.entrySet()) {
                    if (!already.contains(e.getKey())) {
                        double v = e.getValue();
                        b.add(e.getKey(), v, v, v, 1);
                    }
                }
                return b;
            });
        } catch (SQLException e) {
            throw new HistoryException("history query failed: " + e.getMessage(), e);
        }
        int cap = (int) Math.min(HistoryQuery.MAX_POINTS + 2, (to - alignedFrom) / step + 2);
        String unit = s != null && s.unit != null ? s.unit : m.unit();
        return rows.toSeries(m.metric(), m.node(), unit, q.from(), q.to(), res, step / 1000, cap);
    }

    /** Which of these times of the series are stored already (a reading delivered again is stored once). */
    private static Set<Long> storedTimes(Connection c, Series s, Set<Long> times) throws SQLException {
        if (times.isEmpty()) {
            return Set.of();
        }
        Set<Long> out = new HashSet<>();
        List<Long> all = new ArrayList<>(times);
        for (int i = 0; i < all.size(); i += 500) {
            List<Long> part = all.subList(i, Math.min(all.size(), i + 500));
            String marks = String.join(",", java.util.Collections.nCopies(part.size(), "?"));
            try (PreparedStatement ps = c.prepareStatement("SELECT t FROM hist_raw WHERE series = ? AND t IN (" + marks + ")")) {
                ps.setLong(1, s.id);
                for (int j = 0; j < part.size(); j++) {
                    ps.setLong(j + 2, part.get(j));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getLong(1));
                    }
                }
            }
        }
        return out;
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

    /** The one series a query names, stored or only pending. */
    private MetricInfo resolve(String metric, String node) {
        List<MetricInfo> known = metrics();
        if (node != null && !node.isEmpty()) {
            return known.stream().filter(m -> m.metric().equals(metric) && m.node().equals(node)).findFirst()
                    .orElseThrow(() -> new UnknownMetricException("no history for metric '" + metric + "' of node '" + node + "'"));
        }
        List<MetricInfo> candidates = known.stream().filter(m -> m.metric().equals(metric)).toList();
        if (candidates.isEmpty()) {
            Set<String> names = new TreeSet<>();
            catalog.all().forEach(s -> names.add(s.metric));
            known.forEach(m -> names.add(m.metric()));
            throw new UnknownMetricException("no history for metric '" + metric + "'; known metrics: "
                    + (names.isEmpty() ? "none yet" : String.join(", ", names)));
        }
        if (candidates.size() > 1) {
            throw new UnknownMetricException("metric '" + metric + "' is kept for several nodes ("
                    + String.join(", ", candidates.stream().map(MetricInfo::node).sorted().toList()) + "); add node=NAME");
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

package io.beeperkeeper.history;

import io.beeperkeeper.metric.MetricSample;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The figures of each day that is over, per node: hours of light ({@code light_hours}, from the
 * stored {@code lights_on}) and the lowest and highest temperature. A day is over by the data's own
 * clock (so back-filled data works too) once a reading 5 minutes into the next day is stored; the last
 * day done is kept in {@code hist_meta}. Computed from what is stored, on the writer's connection.
 */
final class DailyFigures {
    private static final long DAY_GRACE_MS = 5 * 60_000L;
    /** A gap longer than this between two lights_on samples counts only this long (hub was off). */
    private static final long LIGHT_GAP_CAP_MS = 10 * 60_000L;

    private final HistoryDb db;
    private final SeriesCatalog catalog;
    private final ZoneId zone;
    private final Clock clock;
    private final int rawRetentionDays;

    DailyFigures(HistoryDb db, SeriesCatalog catalog, ZoneId zone, Clock clock, int rawRetentionDays) {
        this.db = db;
        this.catalog = catalog;
        this.zone = zone;
        this.clock = clock;
        this.rawRetentionDays = rawRetentionDays;
    }

    /**
     * The figures of the days completed since the last call, and the day marked done in the writer's
     * transaction (the caller commits, then stores the figures). Empty when no day was completed.
     */
    List<MetricSample> due() throws SQLException {
        long highWater = catalog.dataHighWater();
        if (highWater == Long.MIN_VALUE) {
            return List.of();
        }
        LocalDate lastComplete = Instant.ofEpochMilli(highWater - DAY_GRACE_MS).atZone(zone).toLocalDate().minusDays(1);
        String done = db.meta("derived_until");
        LocalDate next;
        if (done != null) {
            next = LocalDate.parse(done).plusDays(1);
        } else {
            long first = catalog.all().stream().filter(s -> !s.derived).mapToLong(s -> s.firstT).min().orElse(Long.MAX_VALUE);
            if (first == Long.MAX_VALUE) {
                return List.of();
            }
            next = Instant.ofEpochMilli(first).atZone(zone).toLocalDate();
        }
        LocalDate oldest = Instant.ofEpochMilli(clock.millis()).atZone(zone).toLocalDate().minusDays(rawRetentionDays);
        if (next.isBefore(oldest)) {
            next = oldest;
        }
        if (next.isAfter(lastComplete)) {
            return List.of();
        }
        List<MetricSample> figures = new ArrayList<>();
        for (LocalDate day = next; !day.isAfter(lastComplete); day = day.plusDays(1)) {
            figures.addAll(of(day));
        }
        db.setMeta("derived_until", lastComplete.toString());
        return figures;
    }

    private List<MetricSample> of(LocalDate day) throws SQLException {
        long start = day.atStartOfDay(zone).toInstant().toEpochMilli();
        long end = day.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
        Instant stamp = Instant.ofEpochMilli(start);
        List<MetricSample> out = new ArrayList<>();
        for (Series s : catalog.snapshot()) {
            if (s.metric.equals("temperature")) {
                HistoryQueries.Buckets rows = HistoryQueries.stored(db.writer(), s, Resolution.MINUTE, start, end, end - start);
                if (rows.size() > 0) {
                    Agg agg = rows.first();
                    out.add(new MetricSample(s.node, DerivedMetrics.TEMPERATURE_DAILY_MIN, agg.min, s.unit, stamp, null));
                    out.add(new MetricSample(s.node, DerivedMetrics.TEMPERATURE_DAILY_MAX, agg.max, s.unit, stamp, null));
                }
            } else if (s.metric.equals(DerivedMetrics.LIGHTS_ON)) {
                Double hours = lightHours(s, start, end);
                if (hours != null) {
                    out.add(new MetricSample(s.node, DerivedMetrics.LIGHT_HOURS, hours, "h", stamp, null));
                }
            }
        }
        return out;
    }

    private Double lightHours(Series s, long start, long end) throws SQLException {
        try (PreparedStatement ps = db.writer().prepareStatement(
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
}

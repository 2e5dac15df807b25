package io.beeperkeeper.history;

import io.beeperkeeper.config.HistoryConfig;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Deletes what is older than each tier's retention (raw samples by time range, rollups per series)
 * and moves each series' first time up to what is left. Writer thread only.
 */
final class Retention {
    private final HistoryConfig config;
    private final Clock clock;
    private final SeriesCatalog catalog;

    Retention(HistoryConfig config, Clock clock, SeriesCatalog catalog) {
        this.config = config;
        this.clock = clock;
        this.catalog = catalog;
    }

    /** Deletes and commits; returns the number of rows removed. */
    int apply(Connection c) throws SQLException {
        long now = clock.millis();
        // Cut on bucket edges, so a rollup rebuilt from the tier below is never built from half a bucket.
        long rawCut = floor(now - TimeUnit.DAYS.toMillis(config.rawRetentionDays()), Resolution.MINUTE.millis());
        long minuteCut = floor(now - TimeUnit.DAYS.toMillis(config.minuteRetentionDays()), Resolution.HOUR.millis());
        long hourCut = config.hourRetentionDays() == 0 ? Long.MIN_VALUE : now - TimeUnit.DAYS.toMillis(config.hourRetentionDays());
        int deleted;
        try (PreparedStatement raw = c.prepareStatement("DELETE FROM hist_raw WHERE t < ?");
             PreparedStatement minute = c.prepareStatement("DELETE FROM hist_1m WHERE series = ? AND t < ?");
             PreparedStatement hour = c.prepareStatement("DELETE FROM hist_1h WHERE series = ? AND t < ?")) {
            raw.setLong(1, rawCut);
            deleted = raw.executeUpdate();
            for (Series s : catalog.all()) {
                minute.setLong(1, s.id);
                minute.setLong(2, minuteCut);
                deleted += minute.executeUpdate();
                if (hourCut != Long.MIN_VALUE) {
                    hour.setLong(1, s.id);
                    hour.setLong(2, hourCut);
                    deleted += hour.executeUpdate();
                }
            }
        }
        c.commit();
        if (deleted > 0) {
            refreshFirstTimes(c);
        }
        return deleted;
    }

    private void refreshFirstTimes(Connection c) throws SQLException {
        try (PreparedStatement h = c.prepareStatement("SELECT min(t) FROM hist_1h WHERE series = ?");
             PreparedStatement m = c.prepareStatement("SELECT min(t) FROM hist_1m WHERE series = ?");
             PreparedStatement r = c.prepareStatement("SELECT t FROM hist_raw WHERE series = ? ORDER BY t LIMIT 1")) {
            for (Series s : catalog.all()) {
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
        c.commit();
    }

    private static long floor(long t, long unit) {
        return t - Math.floorMod(t, unit);
    }
}

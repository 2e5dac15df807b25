package io.beeperkeeper.history;

import io.beeperkeeper.metric.MetricListener;
import io.beeperkeeper.metric.MetricSample;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * Sits in front of the writer: passes every sample on and, for each lux reading, adds the node's
 * {@code lights_on} (1 or 0, with hysteresis) at the same time, so the derived series is queued,
 * shown and stored like any other. The daily figures derived from stored data are {@link DailyFigures}.
 */
final class DerivedMetrics implements MetricListener {
    static final String LIGHTS_ON = "lights_on";
    static final String LIGHT_HOURS = "light_hours";
    static final String TEMPERATURE_DAILY_MIN = "temperature_daily_min";
    static final String TEMPERATURE_DAILY_MAX = "temperature_daily_max";
    private static final Set<String> DERIVED = Set.of(LIGHTS_ON, LIGHT_HOURS, TEMPERATURE_DAILY_MIN, TEMPERATURE_DAILY_MAX);

    private final LightsDetector lights;
    private final MetricListener next;

    DerivedMetrics(double lightsOnLux, double lightsOffLux, MetricListener next) {
        this.lights = new LightsDetector(lightsOnLux, lightsOffLux);
        this.next = next;
    }

    /** True for the metrics the store makes itself rather than receives. */
    static boolean isDerived(String metric) {
        return DERIVED.contains(metric);
    }

    /** Seeds each node's lights state from the newest stored {@code lights_on}, so a restart does not flip it. */
    synchronized void restore(Connection c, SeriesCatalog catalog) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT v FROM hist_raw WHERE series = ? ORDER BY t DESC LIMIT 1")) {
            for (Series s : catalog.all()) {
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
    }

    @Override
    public void onSample(MetricSample sample) {
        for (MetricSample s : expand(sample)) {
            next.onSample(s);
        }
    }

    /** The sample followed by what is derived from it at once. */
    synchronized List<MetricSample> expand(MetricSample s) {
        return LightsDetector.isLux(s) ? List.of(s, lights.lightsOn(s)) : List.of(s);
    }
}

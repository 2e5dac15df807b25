package io.beeperkeeper.alerts;

import io.beeperkeeper.history.HistoryQuery;
import io.beeperkeeper.history.HistorySeries;
import io.beeperkeeper.history.HistoryStore;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * Reads the lights-on periods and the daily light hours the history store derives from lux. The
 * store is looked up at each call, so this can be built before the store is open (it then throws,
 * and the light rules stay unknown).
 */
public final class HistoryLights implements LightHistory {
    /** The store's derived metrics (names as in /api/history/metrics). */
    static final String LIGHTS_ON = "lights_on";
    static final String LIGHT_HOURS = "light_hours";

    private final Supplier<HistoryStore> store;
    private final ZoneId zone;

    public HistoryLights(Supplier<HistoryStore> store, ZoneId zone) {
        this.store = store;
        this.zone = zone;
    }

    @Override
    public OptionalDouble lightHours(LocalDate day) {
        Instant from = day.atStartOfDay(zone).toInstant();
        Instant to = day.plusDays(1).atStartOfDay(zone).toInstant();
        HistorySeries s = store.get().query(new HistoryQuery(LIGHT_HOURS, null, from, to, 1));
        return s.size() == 0 ? OptionalDouble.empty() : OptionalDouble.of(s.mean()[s.size() - 1]);
    }

    @Override
    public List<LightSample> lightsOn(Instant from, Instant to) {
        int points = (int) Math.min(HistoryQuery.MAX_POINTS, Math.max(1, Duration.between(from, to).toMinutes()));
        HistorySeries s = store.get().query(new HistoryQuery(LIGHTS_ON, null, from, to, points));
        List<LightSample> out = new ArrayList<>(s.size());
        for (int i = 0; i < s.size(); i++) {
            out.add(new LightSample(Instant.ofEpochSecond(s.t()[i]), s.mean()[i] >= 0.5));
        }
        return out;
    }
}

package io.beeperkeeper.sensor.sim;

import io.beeperkeeper.sensor.IaqClass;
import io.beeperkeeper.sensor.Reading;
import io.beeperkeeper.sensor.ReadingKind;
import io.beeperkeeper.sensor.ReadingSource;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The BME680's twin when no chip is found: the coop day's air, with an IAQ that follows the gas. */
public final class SimulatedBme680 implements ReadingSource {
    private static final double CLEAN_AIR_OHM = 150_000;

    private final CoopDay day;

    public SimulatedBme680(CoopDay day) {
        this.day = day;
    }

    @Override
    public String name() {
        return "bme680 (simulated)";
    }

    @Override
    public List<Reading> poll(Instant now) {
        double gas = day.gasResistanceOhm(now);
        double humidity = day.humidityPercent(now);
        // lower resistance than clean air = more volatile compounds = higher index
        double iaq = Math.max(0, Math.min(500, (1 - gas / CLEAN_AIR_OHM) * 350 + Math.abs(humidity - 40) * 0.5));
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("temperature", round(day.temperatureC(now), 2));
        f.put("humidity", round(humidity, 2));
        f.put("pressure", round(day.pressureHpa(), 2));
        f.put("gas_resistance", Math.round(gas));
        f.put("iaq", round(iaq, 1));
        f.put("iaq_class", IaqClass.of(iaq).label());
        return List.of(new Reading(ReadingKind.BME680, now, f));
    }

    static double round(double v, int digits) {
        double p = Math.pow(10, digits);
        return Math.round(v * p) / p;
    }
}

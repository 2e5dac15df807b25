package io.beeperkeeper.sensor.bme680;

import io.beeperkeeper.sensor.Reading;
import io.beeperkeeper.sensor.ReadingKind;
import io.beeperkeeper.sensor.ReadingSource;
import io.beeperkeeper.sensor.iaq.IaqEstimator;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The BME680/BME688 as a polled {@link ReadingSource}: one measurement per poll from whichever reader
 * reached the chip, plus the open IAQ estimate. Fields (the seed's {@code sensors/bme680/all}):
 * temperature (degC), humidity (%), pressure (hPa), gas_resistance (ohm), and once gas is valid iaq,
 * iaq_accuracy and iaq_class.
 */
public final class Bme680Source implements ReadingSource {
    private final Bme680Reader reader;
    private final IaqEstimator iaq;

    public Bme680Source(Bme680Reader reader, IaqEstimator iaq) {
        this.reader = reader;
        this.iaq = iaq;
    }

    @Override
    public String name() {
        return "bme680 (" + reader.describe() + ")";
    }

    @Override
    public List<Reading> poll(Instant now) throws IOException {
        Bme680Values v = reader.read();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("temperature", round(v.temperatureC(), 2));
        fields.put("humidity", round(v.humidityRh(), 2));
        fields.put("pressure", round(v.pressurePa() / 100.0, 2));
        if (v.hasGas()) {
            fields.put("gas_resistance", Math.round(v.gasOhm()));
        }
        Optional<IaqEstimator.Iaq> estimate = iaq.update(now, v.gasOhm(), v.humidityRh());
        estimate.ifPresent(e -> {
            fields.put("iaq", e.index());
            fields.put("iaq_accuracy", e.accuracy());
            fields.put("iaq_class", e.classification());
        });
        return List.of(new Reading(ReadingKind.BME680, now, fields));
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}

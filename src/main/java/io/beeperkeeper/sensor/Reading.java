package io.beeperkeeper.sensor;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one source measured at one instant; becomes one MQTT message whose JSON is {@code fields} plus
 * {@code timestamp} (epoch seconds, fractional). Field names are the seed's (temperature, humidity,
 * ExposureTime, level_db, ...); values are numbers, or text such as iaq_class.
 */
public record Reading(ReadingKind kind, Instant time, Map<String, Object> fields) {
    public Reading {
        if (kind == null || time == null || fields == null) {
            throw new IllegalArgumentException("reading needs a kind, a time and fields");
        }
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
}

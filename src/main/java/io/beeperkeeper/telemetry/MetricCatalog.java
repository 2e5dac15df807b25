package io.beeperkeeper.telemetry;

import io.beeperkeeper.sensor.ReadingKind;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which payload field of which topic is which metric, with its unit and the range a real sensor can
 * report. The payload field names are the seed's (Telegraf dashboards depend on them); the metric
 * names are what the hub, the history and the page use.
 *
 * <p>The catalog is also the hub's list of what it stores: a numeric field that is not listed here is
 * ignored and counted, never stored, so whoever can publish on the broker cannot add series. A value
 * outside its range (the BME680's own limits, percentages 0-100, dBFS at most 0...) refuses the whole
 * message: a sensor that reports 1e308 % humidity is broken or forged, and none of its numbers is
 * trusted. The ranges are documented in docs/sensors.md.
 */
public final class MetricCatalog {
    /** A metric's name, unit and plausible range (inclusive). */
    public record MetricDef(String metric, String unit, double min, double max) {
        public boolean plausible(double v) {
            return v >= min && v <= max;
        }
    }

    private static final Map<ReadingKind, Map<String, MetricDef>> FIELDS = Map.of(
            ReadingKind.BME680, fields(
                    new String[]{"temperature", "temperature", "°C"}, -40, 85,
                    new String[]{"humidity", "humidity", "%"}, 0, 100,
                    new String[]{"pressure", "pressure", "hPa"}, 300, 1100,
                    new String[]{"gas_resistance", "gas_resistance", "Ω"}, 0, 100_000_000,
                    new String[]{"iaq", "iaq", "IAQ"}, 0, 500,
                    new String[]{"iaq_accuracy", "iaq_accuracy", ""}, 0, 3),
            ReadingKind.CPU_TEMPERATURE, fields(
                    new String[]{"temperature", "cpu_temperature", "°C"}, -40, 125,
                    new String[]{"throttled", "cpu_throttled", ""}, 0, 0xFFFFFFFFL),
            ReadingKind.SYSTEM_STATS, fields(
                    new String[]{"cpu_percent", "cpu_percent", "%"}, 0, 100,
                    new String[]{"memory_percent", "memory_percent", "%"}, 0, 100,
                    new String[]{"disk_percent", "disk_percent", "%"}, 0, 100,
                    new String[]{"load_1m", "load_1m", ""}, 0, 10_000,
                    new String[]{"load_5m", "load_5m", ""}, 0, 10_000,
                    new String[]{"load_15m", "load_15m", ""}, 0, 10_000,
                    new String[]{"uptime_s", "uptime_s", "s"}, 0, 100L * 365 * 24 * 3600),
            ReadingKind.CAMERA_METADATA, fields(
                    new String[]{"ExposureTime", "exposure_time", "µs"}, 0, 1_000_000_000,
                    new String[]{"AnalogueGain", "analogue_gain", "×"}, 0, 1000,
                    new String[]{"Lux", "lux", "lx"}, 0, 200_000,
                    new String[]{"ColourTemperature", "colour_temperature", "K"}, 0, 100_000),
            ReadingKind.AUDIO_LEVEL, fields(
                    new String[]{"level_db", "audio_level_db", "dBFS"}, -200, 0,
                    new String[]{"peak_db", "audio_peak_db", "dBFS"}, -200, 0));

    /** Text fields that label a metric rather than being one: field -> the metric they label. */
    private static final Map<ReadingKind, Map<String, String>> LABELS = Map.of(
            ReadingKind.BME680, Map.of("iaq_class", "iaq"));

    /** Text fields the hub's own sensors send for people reading the payload; known, not stored. */
    private static final Map<ReadingKind, Set<String>> NOTES = Map.of(
            ReadingKind.CPU_TEMPERATURE, Set.of("throttled_flags"));

    private MetricCatalog() {
    }

    private static Map<String, MetricDef> fields(Object... defs) {
        Map<String, MetricDef> m = new LinkedHashMap<>();
        for (int i = 0; i < defs.length; i += 3) {
            String[] names = (String[]) defs[i];
            m.put(names[0], new MetricDef(names[1], names[2], ((Number) defs[i + 1]).doubleValue(), ((Number) defs[i + 2]).doubleValue()));
        }
        return Map.copyOf(m);
    }

    /** The metric a numeric field of this kind is, if the hub knows it. */
    public static Optional<MetricDef> find(ReadingKind kind, String field) {
        return Optional.ofNullable(FIELDS.getOrDefault(kind, Map.of()).get(field));
    }

    /** The metric a known numeric field is; an unknown field is a programming error here. */
    public static MetricDef forField(ReadingKind kind, String field) {
        return find(kind, field).orElseThrow(() -> new IllegalArgumentException("no metric for field " + field + " of " + kind));
    }

    /** Every known field of a kind, field -> metric. */
    public static Map<String, MetricDef> fieldsOf(ReadingKind kind) {
        return FIELDS.getOrDefault(kind, Map.of());
    }

    /** The metric a text field labels (iaq_class labels iaq), or null. */
    public static String labelledMetric(ReadingKind kind, String field) {
        return LABELS.getOrDefault(kind, Map.of()).get(field);
    }

    /** A text field the hub's sensors send that is neither a metric nor a label (throttled_flags). */
    static boolean isNote(ReadingKind kind, String field) {
        return NOTES.getOrDefault(kind, Set.of()).contains(field);
    }
}

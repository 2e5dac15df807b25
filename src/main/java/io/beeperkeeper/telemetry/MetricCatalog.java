package io.beeperkeeper.telemetry;

import io.beeperkeeper.sensor.ReadingKind;

import java.util.Map;

/**
 * Which payload field of which topic is which metric, with its unit. The payload field names are the
 * seed's (Telegraf dashboards depend on them); the metric names are what the hub, the history and the
 * page use. A numeric field not listed here is still kept, named after the field in snake_case.
 */
public final class MetricCatalog {
    /** A metric's name and unit. */
    public record MetricDef(String metric, String unit) {
    }

    private static final Map<ReadingKind, Map<String, MetricDef>> FIELDS = Map.of(
            ReadingKind.BME680, Map.of(
                    "temperature", new MetricDef("temperature", "°C"),
                    "humidity", new MetricDef("humidity", "%"),
                    "pressure", new MetricDef("pressure", "hPa"),
                    "gas_resistance", new MetricDef("gas_resistance", "Ω"),
                    "iaq", new MetricDef("iaq", "IAQ"),
                    "iaq_accuracy", new MetricDef("iaq_accuracy", "")),
            ReadingKind.CPU_TEMPERATURE, Map.of(
                    "temperature", new MetricDef("cpu_temperature", "°C"),
                    "throttled", new MetricDef("cpu_throttled", "")),
            ReadingKind.SYSTEM_STATS, Map.of(
                    "cpu_percent", new MetricDef("cpu_percent", "%"),
                    "memory_percent", new MetricDef("memory_percent", "%"),
                    "disk_percent", new MetricDef("disk_percent", "%"),
                    "load_1m", new MetricDef("load_1m", ""),
                    "uptime_s", new MetricDef("uptime_s", "s")),
            ReadingKind.CAMERA_METADATA, Map.of(
                    "ExposureTime", new MetricDef("exposure_time", "µs"),
                    "AnalogueGain", new MetricDef("analogue_gain", "×"),
                    "Lux", new MetricDef("lux", "lx"),
                    "ColourTemperature", new MetricDef("colour_temperature", "K")),
            ReadingKind.AUDIO_LEVEL, Map.of(
                    "level_db", new MetricDef("audio_level_db", "dB"),
                    "peak_db", new MetricDef("audio_peak_db", "dB")));

    /** Text fields that label a metric rather than being one: field -> the metric they label. */
    private static final Map<ReadingKind, Map<String, String>> LABELS = Map.of(
            ReadingKind.BME680, Map.of("iaq_class", "iaq"));

    private MetricCatalog() {
    }

    public static MetricDef forField(ReadingKind kind, String field) {
        MetricDef def = FIELDS.getOrDefault(kind, Map.of()).get(field);
        if (def != null) {
            return def;
        }
        return new MetricDef(snake(field), "");
    }

    /** The metric a text field labels (iaq_class labels iaq), or null. */
    public static String labelledMetric(ReadingKind kind, String field) {
        return LABELS.getOrDefault(kind, Map.of()).get(field);
    }

    static String snake(String field) {
        return field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replaceAll("[^A-Za-z0-9_]", "_").toLowerCase();
    }
}

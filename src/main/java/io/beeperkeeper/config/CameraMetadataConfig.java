package io.beeperkeeper.config;

import java.util.Set;

/**
 * The CSI camera's per-frame metadata: the FIFO rpicam-vid writes to ({@code --metadata <fifo>}, empty:
 * not read), its format, and how often a reading is published.
 */
public record CameraMetadataConfig(String fifo, String format, double intervalSeconds) {
    private static final Set<String> FORMATS = Set.of("txt", "json");

    public CameraMetadataConfig {
        fifo = fifo == null ? "" : fifo;
        ConfigException.require(format != null && FORMATS.contains(format), "sensors.cameraMetadata.format", format,
                "txt or json (rpicam-vid --metadata-format)");
        ConfigException.require(intervalSeconds >= 0.1 && intervalSeconds <= 3600, "sensors.cameraMetadata.intervalSeconds",
                intervalSeconds, "0.1-3600 seconds");
    }

    public static CameraMetadataConfig defaults() {
        return new CameraMetadataConfig("", "txt", 1.0);
    }
}

package io.beeperkeeper.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The CSI camera's per-frame metadata: the FIFO rpicam-vid writes to ({@code --metadata <fifo>}, empty:
 * not read), its format, and how often a reading is published.
 */
public record CameraMetadataConfig(String fifo, Format format, double intervalSeconds) {

    /** What rpicam-vid writes, as {@code --metadata-format} names it. */
    public enum Format {
        /** {@code Name=value} lines, a blank line after each frame. */
        TXT("txt"),
        /** A streamed JSON array, one object a frame. */
        JSON("json");

        private final String wireName;

        Format(String wireName) {
            this.wireName = wireName;
        }

        /** The spelling in beeper.yaml and on rpicam-vid's command line. */
        @JsonValue
        public String wireName() {
            return wireName;
        }

        @JsonCreator
        public static Format fromWire(String text) {
            return WireNames.parse("sensors.cameraMetadata.format", text, values(), Format::wireName);
        }

        @Override
        public String toString() {
            return wireName;
        }
    }

    public CameraMetadataConfig {
        fifo = fifo == null ? "" : fifo;
        ConfigException.require(format != null, "sensors.cameraMetadata.format", null,
                "txt or json (rpicam-vid --metadata-format)");
        ConfigException.require(intervalSeconds >= 0.1 && intervalSeconds <= 3600, "sensors.cameraMetadata.intervalSeconds",
                intervalSeconds, "0.1-3600 seconds");
    }

    public static CameraMetadataConfig defaults() {
        return new CameraMetadataConfig("", Format.TXT, 1.0);
    }
}

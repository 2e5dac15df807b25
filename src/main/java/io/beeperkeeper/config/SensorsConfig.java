package io.beeperkeeper.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How sensors are read ({@link Mode}) and how often, the BME680's wiring and the camera metadata
 * stream. {@code throttleCommand} reads the Pi's throttle flags when the firmware's sysfs node is
 * absent (empty: never run it).
 */
public record SensorsConfig(Mode mode, double intervalSeconds, String throttleCommand,
                            Bme680Config bme680, CameraMetadataConfig cameraMetadata) {

    /** The ways of reading sensors, as written in {@code sensors.mode}. */
    public enum Mode {
        /**
         * Each sensor's hardware when found; a sensor that is not connected publishes nothing
         * (health says so, with the fix).
         */
        AUTO("auto"),
        /** Every simulated twin, each value marked simulated. */
        SIMULATED("simulated"),
        /** Refuses to start without every sensor. */
        HARDWARE("hardware"),
        /**
         * What a hub started without a settings file runs: auto, except that with no sensor hardware
         * at all it simulates, so a newcomer sees a live page.
         */
        DEMO("demo");

        private final String wireName;

        Mode(String wireName) {
            this.wireName = wireName;
        }

        /** The spelling in beeper.yaml. */
        @JsonValue
        public String wireName() {
            return wireName;
        }

        @JsonCreator
        public static Mode fromWire(String text) {
            return WireNames.parse("sensors.mode", text, values(), Mode::wireName);
        }

        @Override
        public String toString() {
            return wireName;
        }
    }

    public SensorsConfig {
        ConfigException.require(mode != null, "sensors.mode", null, "auto, simulated, hardware or demo");
        ConfigException.require(intervalSeconds >= 0.1 && intervalSeconds <= 3600, "sensors.intervalSeconds", intervalSeconds, "a number of seconds from 0.1 to 3600");
        throttleCommand = throttleCommand == null ? "" : throttleCommand;
        bme680 = bme680 == null ? Bme680Config.defaults() : bme680;
        cameraMetadata = cameraMetadata == null ? CameraMetadataConfig.defaults() : cameraMetadata;
    }

    /** The skeleton's two settings, everything else at its default. */
    public SensorsConfig(Mode mode, double intervalSeconds) {
        this(mode, intervalSeconds, "vcgencmd get_throttled", Bme680Config.defaults(), CameraMetadataConfig.defaults());
    }

    /**
     * Whether the hub runs the simulated twins: always in {@code simulated} mode, and in {@code demo}
     * mode when no sensor hardware was found ({@code beeper run} and {@code beeper check} decide alike).
     */
    public boolean simulates(boolean sensorHardwareFound) {
        return mode == Mode.SIMULATED || mode == Mode.DEMO && !sensorHardwareFound;
    }

    /** Whether every sensor is its simulated twin (no hardware is looked for). */
    public boolean simulated() {
        return mode == Mode.SIMULATED;
    }

    /**
     * The metadata stream is configured once: a rpicam camera with {@code metadataFifo} set feeds the
     * camera-metadata sensor (rpicam-vid writes JSON there, the hub creates the FIFO and reads it),
     * unless {@code sensors.cameraMetadata.fifo} names another FIFO (a camera run outside the hub).
     */
    public SensorsConfig withCameraMetadataFrom(CamerasConfig cameras) {
        if (!cameraMetadata.fifo().isBlank()) {
            return this;
        }
        return cameras.effective().values().stream()
                .filter(c -> "rpicam".equals(c.source()) && c.metadataFifo() != null && !c.metadataFifo().isBlank())
                .findFirst()
                .map(c -> new SensorsConfig(mode, intervalSeconds, throttleCommand, bme680,
                        new CameraMetadataConfig(c.metadataFifo(), CameraMetadataConfig.Format.JSON, cameraMetadata.intervalSeconds())))
                .orElse(this);
    }

    public static SensorsConfig defaults() {
        return new SensorsConfig(Mode.AUTO, 5);
    }
}

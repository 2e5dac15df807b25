package io.beeperkeeper.config;

import java.util.Set;

/**
 * How sensors are read: {@code auto} uses each sensor's hardware when found and publishes nothing for a
 * sensor that is not connected (health says so, with the fix); {@code simulated} runs every simulated
 * twin (each value marked simulated) and {@code hardware} refuses to start without every sensor.
 * {@code demo} is what a hub started without a settings file runs: auto, except that with no sensor
 * hardware at all it simulates, so a newcomer sees a live page. {@code throttleCommand}
 * reads the Pi's throttle flags when the firmware's sysfs node is absent (empty: never run it).
 */
public record SensorsConfig(String mode, double intervalSeconds, String throttleCommand,
                            Bme680Config bme680, CameraMetadataConfig cameraMetadata) {
    private static final Set<String> MODES = Set.of("auto", "simulated", "hardware", "demo");

    public SensorsConfig {
        ConfigException.require(mode != null && MODES.contains(mode), "sensors.mode", mode, "auto, simulated or hardware (or demo)");
        ConfigException.require(intervalSeconds >= 0.1 && intervalSeconds <= 3600, "sensors.intervalSeconds", intervalSeconds, "a number of seconds from 0.1 to 3600");
        throttleCommand = throttleCommand == null ? "" : throttleCommand;
        bme680 = bme680 == null ? Bme680Config.defaults() : bme680;
        cameraMetadata = cameraMetadata == null ? CameraMetadataConfig.defaults() : cameraMetadata;
    }

    /** The skeleton's two settings, everything else at its default. */
    public SensorsConfig(String mode, double intervalSeconds) {
        this(mode, intervalSeconds, "vcgencmd get_throttled", Bme680Config.defaults(), CameraMetadataConfig.defaults());
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
                        new CameraMetadataConfig(c.metadataFifo(), "json", cameraMetadata.intervalSeconds())))
                .orElse(this);
    }

    public static SensorsConfig defaults() {
        return new SensorsConfig("auto", 5);
    }
}

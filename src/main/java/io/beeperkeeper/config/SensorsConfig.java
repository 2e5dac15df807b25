package io.beeperkeeper.config;

import java.util.Set;

/** How sensors are read: {@code auto} uses hardware when found and simulation otherwise. */
public record SensorsConfig(String mode, double intervalSeconds) {
    private static final Set<String> MODES = Set.of("auto", "simulated", "hardware");

    public SensorsConfig {
        ConfigException.require(mode != null && MODES.contains(mode), "sensors.mode", mode, "auto, simulated or hardware");
        ConfigException.require(intervalSeconds >= 0.1 && intervalSeconds <= 3600, "sensors.intervalSeconds", intervalSeconds, "a number of seconds from 0.1 to 3600");
    }

    public static SensorsConfig defaults() {
        return new SensorsConfig("auto", 5);
    }
}

package io.beeperkeeper.cli;

import io.beeperkeeper.config.BeeperConfig;
import io.beeperkeeper.config.ConfigLoader;
import io.beeperkeeper.config.ConfigLocation;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The options that choose the settings (--config, --port, --data) and the one way of loading them, so
 * {@code beeper check} judges exactly the settings {@code beeper run} starts with.
 */
final class SettingsOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "Settings file (default: $BEEPER_CONFIG, else "
            + "/etc/beeper-keeper/beeper.yaml, else ./beeper.yaml, the first that is there).")
    Path config;

    @Option(names = "--port", paramLabel = "PORT", description = "Web port (default 8080; web.port).")
    Integer port;

    @Option(names = "--data", paramLabel = "DIR", description = "Folder for everything the hub writes (default ./data; data.dir).")
    Path data;

    /** The settings file found, or none (built-in defaults). */
    Optional<ConfigLocation> location(Map<String, String> env, Path root) {
        return ConfigLocation.find(config, env, root, Path.of(""));
    }

    /** Loads the settings as run does; throws {@link io.beeperkeeper.config.ConfigException} naming the key. */
    BeeperConfig load(Optional<ConfigLocation> location, Map<String, String> env) {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (port != null) {
            overrides.put("web.port", port.toString());
        }
        if (data != null) {
            overrides.put("data.dir", data.toString());
        }
        if (location.isEmpty() && !env.containsKey(ConfigLoader.envName("sensors.mode"))) {
            // zero-config demo: simulated sensors only when this machine has no sensor hardware at all
            overrides.put("sensors.mode", "demo");
        }
        return new ConfigLoader().load(location.map(ConfigLocation::path).orElse(null), env, overrides);
    }
}

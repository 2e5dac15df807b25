package io.beeperkeeper.cli;

import io.beeperkeeper.App;
import io.beeperkeeper.config.BeeperConfig;
import io.beeperkeeper.config.ConfigLoader;
import io.beeperkeeper.config.ConfigLocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * `beeper run`: starts the hub and node in this process until Ctrl-C. Its help names where settings
 * come from, down to every environment variable, listed from the keys the config loader knows.
 */
@Command(name = "run", mixinStandardHelpOptions = true, usageHelpWidth = 100,
        description = "Run Beeper Keeper (sensors, cameras, broker, web page).")
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = "--config", paramLabel = "FILE", description = "Settings file (default: $BEEPER_CONFIG, else "
            + "/etc/beeper-keeper/beeper.yaml, else ./beeper.yaml, the first that is there).")
    Path config;

    @Option(names = "--port", paramLabel = "PORT", description = "Web port (default 8080; web.port).")
    Integer port;

    @Option(names = "--data", paramLabel = "DIR", description = "Folder for everything the hub writes (default ./data; data.dir).")
    Path data;

    @Override
    public Integer call() throws InterruptedException {
        BeeperConfig cfg = load();
        App app = new App(cfg, Clock.systemUTC()).start();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stop.countDown();
        }, "shutdown"));
        stop.await();
        return 0;
    }

    /**
     * The help text after the options: the order settings are read in, the settings file, and one
     * environment variable per known key (the same list and names {@link ConfigLoader} reads).
     */
    static String[] settingsHelp(ConfigLoader loader) {
        List<String> keys = loader.knownKeys();
        int width = keys.stream().mapToInt(k -> ConfigLoader.envName(k).length()).max().orElse(0);
        List<String> lines = new ArrayList<>(List.of(
                "",
                "Settings, each source winning over the ones before it:",
                "  1. built-in defaults;",
                "  2. the settings file, the first of: --config FILE, the file $BEEPER_CONFIG names,",
                "     /etc/beeper-keeper/beeper.yaml (the installed package's), beeper.yaml in the working folder",
                "     (copy beeper.example.yaml to start one: it documents every key);",
                "  3. one environment variable per key (below);",
                "  4. the options above.",
                "",
                "Environment variables (variable, then its key in the settings file):"));
        for (String key : keys) {
            lines.add(String.format(Locale.ROOT, "  %-" + width + "s  %s", ConfigLoader.envName(key), key));
        }
        lines.addAll(List.of(
                "Cameras (the cameras: section) are set in the settings file only.",
                "",
                "The ./beeper launcher also reads BEEPER_JAVA_OPTS (JVM options). Before the hub starts it installs",
                "what the cameras need when it is missing (ffmpeg, fonts-dejavu-core): with apt as root on Debian,",
                "otherwise it prints the one apt-get line to run."));
        return lines.toArray(String[]::new);
    }

    BeeperConfig load() {
        ConfigLocation location = ConfigLocation.find(config).orElse(null);
        Path file = location == null ? null : location.path();
        if (location == null) {
            log.info("no settings file (--config, $BEEPER_CONFIG, /etc/beeper-keeper/beeper.yaml, ./beeper.yaml): built-in defaults");
        } else {
            log.info("settings from {} ({})", file.toAbsolutePath(), location.found());
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        if (port != null) {
            overrides.put("web.port", port.toString());
        }
        if (data != null) {
            overrides.put("data.dir", data.toString());
        }
        if (file == null && !System.getenv().containsKey(ConfigLoader.envName("sensors.mode"))) {
            // zero-config demo: simulated sensors only when this machine has no sensor hardware at all
            overrides.put("sensors.mode", "demo");
        }
        return new ConfigLoader().load(file, System.getenv(), overrides);
    }
}

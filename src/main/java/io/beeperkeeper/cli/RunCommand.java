package io.beeperkeeper.cli;

import io.beeperkeeper.App;
import io.beeperkeeper.config.BeeperConfig;
import io.beeperkeeper.config.ConfigLoader;
import io.beeperkeeper.config.ConfigLocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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

    @Mixin
    SettingsOptions settings = new SettingsOptions();

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
        Optional<ConfigLocation> location = settings.location(System.getenv(), Path.of("/"));
        if (location.isEmpty()) {
            log.info("no settings file (--config, $BEEPER_CONFIG, /etc/beeper-keeper/beeper.yaml, ./beeper.yaml): built-in defaults");
        } else {
            log.info("settings from {} ({})", location.get().path().toAbsolutePath(), location.get().found());
        }
        return settings.load(location, System.getenv());
    }
}

package io.beeperkeeper.cli;

import io.beeperkeeper.App;
import io.beeperkeeper.config.BeeperConfig;
import io.beeperkeeper.config.ConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** `beeper run`: starts the hub and node in this process until Ctrl-C. */
@Command(name = "run", description = "Run Beeper Keeper (sensors, cameras, broker, web page).")
public final class RunCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "Settings file (default: ./beeper.yaml if present).")
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

    BeeperConfig load() {
        Path file = config;
        if (file == null && Files.exists(Path.of("beeper.yaml"))) {
            file = Path.of("beeper.yaml");
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        if (port != null) {
            overrides.put("web.port", port.toString());
        }
        if (data != null) {
            overrides.put("data.dir", data.toString());
        }
        return new ConfigLoader().load(file, System.getenv(), overrides);
    }
}

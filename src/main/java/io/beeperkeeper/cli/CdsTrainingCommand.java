package io.beeperkeeper.cli;

import io.beeperkeeper.App;
import io.beeperkeeper.Ports;
import io.beeperkeeper.config.BeeperConfig;
import io.beeperkeeper.config.ConfigLoader;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * `beeper cds-training` (hidden): one short start of the whole hub for the JVM to record which classes
 * it loads, so the launchers can map them from an AppCDS archive at every later start (a faster first
 * page and a few MB less memory on a Pi). It runs on loopback with free ports, simulated sensors, the
 * default test cameras and a temporary data folder, never touching a running hub or its data: it asks
 * for the page and the API as a browser would, waits a little for the cameras, and stops. The package's
 * installer and the ./beeper launcher run it under {@code -XX:ArchiveClassesAtExit}.
 */
@Command(name = "cds-training", hidden = true, mixinStandardHelpOptions = true,
        description = "Start the hub once on loopback (free ports, simulated sensors, a temporary data folder), "
                + "load the page and the API, and stop: the run an AppCDS class archive is recorded from.")
final class CdsTrainingCommand implements Callable<Integer> {
    /** The page and API as a page load asks for them. */
    private static final List<String> PATHS = List.of("/", "/app.js", "/api/health", "/api/cameras", "/api/metrics/latest",
            "/api/history/metrics", "/api/chat/messages", "/api/alerts", "/metrics");
    private static final long CAMERAS_MS = 15_000;

    @Override
    public Integer call() throws Exception {
        Path data = Files.createTempDirectory("beeper-cds-training");
        try (App app = new App(config(data), Clock.systemUTC()).start()) {
            String base = "http://127.0.0.1:" + app.webPort();
            long deadline = System.currentTimeMillis() + CAMERAS_MS;
            while (!get(base + "/api/health").startsWith("{\"status\":\"up\"") && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            for (String path : PATHS) {
                get(base + path);
            }
        } finally {
            deleteTree(data);
        }
        return 0;
    }

    private static BeeperConfig config(Path data) {
        return new ConfigLoader().load(null, Map.of(), Map.ofEntries(
                Map.entry("web.host", "127.0.0.1"), Map.entry("web.port", "0"),
                Map.entry("mqtt.host", "127.0.0.1"), Map.entry("mqtt.port", Integer.toString(Ports.freePort())),
                Map.entry("webrtc.udpHost", "127.0.0.1"), Map.entry("webrtc.udpPort", "0"),
                Map.entry("rtsp.host", "127.0.0.1"), Map.entry("rtsp.port", "0"), Map.entry("rtsp.udpPort", "0"),
                Map.entry("sensors.mode", "simulated"), Map.entry("thermal.enabled", "false"),
                Map.entry("data.dir", data.toString()), Map.entry("node.name", "cds-training")));
    }

    /** The body of a GET, or "" when it fails (a route that is off in this run teaches nothing less). */
    private static String get(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout(10_000);
            c.setReadTimeout(10_000);
            try (InputStream in = c.getResponseCode() < 400 ? c.getInputStream() : c.getErrorStream()) {
                return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the training run's folder " + root, e);
        }
    }
}

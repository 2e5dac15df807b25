package io.beeperkeeper.cli;

import com.sun.net.httpserver.HttpServer;
import io.beeperkeeper.Main;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code beeper bench alerts}: how long a keeper waits for the phone to buzz, i.e. the time from a
 * reading crossing a threshold to the webhook POST and the e-mail arriving. It starts a local HTTP
 * receiver and an SMTP server with STARTTLS on 127.0.0.1, then the whole hub as {@code ./beeper run}
 * starts it (this JVM's options, which the launcher set, the same jar; free ports, a scratch folder)
 * with one threshold rule pointing at both. Each round publishes a reading below the threshold, one
 * above (timed from the publish), then one below the clear level and waits for the "resolved"
 * notifications, so every round starts from a cleared rule and notifies exactly once. Prints median
 * and p95 of each, n and the load average. Prints figures, fails nothing.
 */
final class AlertsBench {
    /** What to measure, from the command line. */
    record Settings(int rounds, Path dir) {
    }

    private record Arrival(String body, long nanos) {
    }

    private static final double BELOW = 20;
    private static final double ABOVE = 35;
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final Settings settings;
    private final PrintWriter out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    AlertsBench(Settings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    /** Runs the rounds and prints the figures; the exit code of the command. */
    int run() throws Exception {
        Path work = settings.dir().toAbsolutePath();
        BenchMachine.deleteTree(work.resolve("data"));
        Files.createDirectories(work);
        Files.deleteIfExists(work.resolve("smtp.p12"));
        BlockingQueue<Arrival> hooks = new LinkedBlockingQueue<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", ex -> {
            long t = System.nanoTime();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            hooks.add(new Arrival(body, t));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        receiver.start();
        Process hub = null;
        try (BenchSmtpServer smtp = new BenchSmtpServer(work)) {
            int webPort = RelayBench.freePort();
            int mqttPort = RelayBench.freePort();
            Path config = work.resolve("beeper.yaml");
            Files.writeString(config, yaml(receiver.getAddress().getPort(), smtp.port()));
            hub = startHub(work, config, webPort, mqttPort, smtp.keystore());
            String base = "http://127.0.0.1:" + webPort;
            out.printf(Locale.ROOT, "started a hub as ./beeper run would (pid %d, %s, log %s)%n", hub.pid(), base, work.resolve("hub.log"));
            out.flush();
            awaitHealth(base, hub);
            Publisher publisher = Publisher.forBroker(mqttPort);
            out.printf(Locale.ROOT, "readings published with %s on beeper/sensors/bme680/all; rule: temperature above 30, clear 28%n",
                    publisher.describe());
            out.flush();
            List<Double> toHook = new ArrayList<>();
            List<Double> toMail = new ArrayList<>();
            try {
                for (int i = 0; i < settings.rounds(); i++) {
                    publisher.publish(BELOW);
                    long sent = System.nanoTime();
                    publisher.publish(ABOVE);
                    Arrival hook = next(hooks, "\"event\":\"firing\"", "the webhook (firing)", hub);
                    BenchSmtpServer.Mail mail = nextMail(smtp, "; firing", hub);
                    toHook.add((hook.nanos() - sent) / 1e6);
                    toMail.add((mail.arrivedNanos() - sent) / 1e6);
                    if (!mail.tls()) {
                        out.println("beeper bench alerts: the e-mail came without STARTTLS");
                        return 1;
                    }
                    publisher.publish(BELOW);
                    next(hooks, "\"event\":\"resolved\"", "the webhook (resolved)", hub);
                    nextMail(smtp, "; resolved", hub);
                }
            } finally {
                publisher.close();
            }
            out.printf(Locale.ROOT, "alerts: reading published -> delivered (ms, n=%d): webhook median %.1f p95 %.1f; e-mail median %.1f p95 %.1f;"
                            + " load average %s%n", toHook.size(), BenchMachine.percentile(toHook, 50), BenchMachine.percentile(toHook, 95), BenchMachine.percentile(toMail, 50), BenchMachine.percentile(toMail, 95),
                    BenchMachine.loadAverage());
            out.flush();
            return 0;
        } finally {
            receiver.stop(0);
            if (hub != null) {
                hub.destroy();
                if (!hub.waitFor(15, TimeUnit.SECONDS)) {
                    hub.destroyForcibly();
                }
                hub.descendants().forEach(ProcessHandle::destroy);
            }
            BenchMachine.deleteTree(work.resolve("data")); // the log and the config stay for a look afterwards
        }
    }

    /** The rule and both channels; readings from outside on the seed topic, no sensor of the hub's own. */
    private static String yaml(int hookPort, int smtpPort) {
        return """
                sensors:
                  mode: auto
                  intervalSeconds: 3600
                alerts:
                  renotifyMinutes: 0
                  mqtt:
                    enabled: false
                  rules:
                    bench-hot:
                      kind: threshold
                      metric: temperature
                      above: 30
                      clear: 28
                      severity: critical
                      title: Bench coop too hot
                  webhook:
                    url: http://127.0.0.1:%d/hook
                  email:
                    host: 127.0.0.1
                    port: %d
                    startTls: true
                    username: keeper
                    password: bench-password
                    from: beeper@bench.test
                    to: keeper@bench.test
                """.formatted(hookPort, smtpPort);
    }

    /**
     * The hub as {@code ./beeper run} starts it: this JVM's options (the launcher's), the same jar, the
     * bench's config; it trusts the bench mail server's self-signed certificate, as a keeper's JVM trusts
     * their provider's.
     */
    private static Process startHub(Path work, Path config, int webPort, int mqttPort, Path keystore) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-agentlib:") && !arg.startsWith("-javaagent:") && !arg.startsWith("-Djavax.net.ssl.trustStore")) {
                cmd.add(arg);
            }
        }
        cmd.add("-Djavax.net.ssl.trustStore=" + keystore);
        cmd.add("-Djavax.net.ssl.trustStorePassword=changeit");
        cmd.add("-Djavax.net.ssl.trustStoreType=PKCS12");
        Path code;
        try {
            code = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException("cannot locate the hub's jar", e);
        }
        if (Files.isRegularFile(code)) {
            cmd.addAll(List.of("-jar", code.toAbsolutePath().toString()));
        } else {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        }
        cmd.addAll(List.of("run", "--config", config.toString(), "--port", String.valueOf(webPort),
                "--data", work.resolve("data").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("hub.log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("BEEPER_"));
        // Other hubs on this machine may hold the default broker and WebRTC ports.
        pb.environment().put("BEEPER_MQTT_HOST", "127.0.0.1");
        pb.environment().put("BEEPER_MQTT_PORT", String.valueOf(mqttPort));
        pb.environment().put("BEEPER_WEBRTC_UDP_PORT", String.valueOf(RelayBench.freePort()));
        pb.environment().put("BEEPER_RTSP_PORT", "0");
        pb.environment().put("BEEPER_RTSP_UDP_PORT", "0");
        return pb.start();
    }

    private void awaitHealth(String base, Process hub) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!hub.isAlive()) {
                throw new IOException("the hub exited (" + hub.exitValue() + "); see its log");
            }
            try {
                // the alerts' list answers once every part has started (the broker the readings go to
                // included); health answers from the first moment, while they are still starting
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/alerts"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = String.valueOf(e);
            }
            Thread.sleep(250);
        }
        throw new IOException("the hub at " + base + " did not answer /api/alerts within 120 s (" + last + ")");
    }

    private static Arrival next(BlockingQueue<Arrival> hooks, String marker, String what, Process hub) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            Arrival a = hooks.poll(1, TimeUnit.SECONDS);
            if (a != null && a.body().contains(marker)) {
                return a;
            }
            if (!hub.isAlive()) {
                break;
            }
        }
        throw new IOException(what + " did not arrive within " + DEADLINE.toSeconds() + " s; see the hub's log");
    }

    private static BenchSmtpServer.Mail nextMail(BenchSmtpServer smtp, String marker, Process hub) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            BenchSmtpServer.Mail m = smtp.received.poll(1, TimeUnit.SECONDS);
            if (m != null && m.data().contains(marker)) {
                return m;
            }
            if (!hub.isAlive()) {
                break;
            }
        }
        throw new IOException("the e-mail (" + marker.substring(2) + ") did not arrive within " + DEADLINE.toSeconds()
                + " s; see the hub's log");
    }


    /** How the readings reach the hub's broker: mosquitto_pub as a sensor script would, or a connected Paho client. */
    private interface Publisher extends AutoCloseable {
        void publish(double celsius) throws Exception;

        String describe();

        @Override
        void close() throws Exception;

        static Publisher forBroker(int port) throws Exception {
            if (onPath("mosquitto_pub")) {
                return new Publisher() {
                    @Override
                    public void publish(double celsius) throws Exception {
                        Process p = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(port), "-q", "1",
                                "-t", "beeper/sensors/bme680/all", "-m", payload(celsius)).redirectErrorStream(true).start();
                        byte[] said = p.getInputStream().readAllBytes();
                        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                            throw new IOException("mosquitto_pub failed: " + new String(said, StandardCharsets.UTF_8));
                        }
                    }

                    @Override
                    public String describe() {
                        return "mosquitto_pub (its start and connect included)";
                    }

                    @Override
                    public void close() {
                    }
                };
            }
            MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, "bench-alerts-" + System.nanoTime(), new MemoryPersistence());
            c.connect();
            return new Publisher() {
                @Override
                public void publish(double celsius) throws Exception {
                    c.publish("beeper/sensors/bme680/all", new MqttMessage(payload(celsius).getBytes(StandardCharsets.UTF_8)));
                }

                @Override
                public String describe() {
                    return "a Paho client connected beforehand (mosquitto_pub is not on PATH)";
                }

                @Override
                public void close() throws Exception {
                    c.disconnect();
                    c.close();
                }
            };
        }

        private static String payload(double celsius) {
            return "{\"temperature\":" + celsius + ",\"humidity\":50,\"timestamp\":" + System.currentTimeMillis() / 1000.0 + "}";
        }

        private static boolean onPath(String program) {
            for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(d, program))) {
                    return true;
                }
            }
            return false;
        }
    }
}

package io.beeperkeeper.alerts;

import io.beeperkeeper.cli.BenchSmtpServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.beeperkeeper.App;
import io.beeperkeeper.TestHub;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole hub with every channel configured, against real servers on 127.0.0.1 (an HTTP receiver
 * for the webhook and ntfy's API, an SMTP server, the embedded broker): a reading from outside fires
 * a rule and every channel carries it; secrets never show in the API. Prints the time from the
 * reading to the webhook and to the e-mail (median of 20).
 */
class NotificationsHubTest {
    record Hit(String path, String body, long nanos, String signature) {
    }

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyChannelCarriesTheAlertAndNoSecretLeaks() throws Exception {
        BlockingQueue<Hit> hits = new LinkedBlockingQueue<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", ex -> {
            long t = System.nanoTime();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            hits.add(new Hit(ex.getRequestURI().getPath(), body, t, ex.getRequestHeaders().getFirst("X-Beeper-Signature")));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        receiver.start();
        try (BenchSmtpServer smtp = new BenchSmtpServer(null)) {
            String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
            String yaml = """
                    alerts:
                      rules:
                        barn-hot:
                          kind: threshold
                          metric: temperature
                          node: barn
                          above: 30
                          clear: 28
                          severity: critical
                      webhook:
                        url: %s/hook
                        secret: hook-secret-123
                      ntfy:
                        url: %s
                        topic: coop-alerts
                        token: tk_secret_456
                      email:
                        host: 127.0.0.1
                        port: %d
                        startTls: false
                        username: keeper
                        password: smtp-password-789
                        from: beeper@coop.test
                        to: anna@coop.test
                    """.formatted(base, base, smtp.port());
            try (App app = TestHub.start(dir, yaml, Map.of("mqtt.acceptNodes", "barn"), Clock.systemUTC())) {
                Map<String, String> retained = new ConcurrentHashMap<>();
                // The broker may drop a connection made while the hub's own links connect; a client retries, so does the probe.
                MqttClient probe = await("the probe subscribed").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .until(() -> subscribedProbe(app.mqttUrl(), retained), c -> c != null);

                publish(app, 35);
                Hit hook = next(hits, "/hook");
                JsonNode h = json.readTree(hook.body());
                assertThat(h.path("event").asText()).isEqualTo("firing");
                assertThat(h.path("alert").path("id").asText()).isEqualTo("barn-hot");
                assertThat(hook.signature()).startsWith("sha256=");
                assertThat(next(hits, "/coop-alerts").body()).contains("temperature 35");
                BenchSmtpServer.Mail mail = smtp.received.poll(30, TimeUnit.SECONDS);
                assertThat(mail).isNotNull();
                assertThat(mail.user()).isEqualTo("keeper");
                assertThat(mail.data()).contains("X-Beeper-Alert: barn-hot; firing");
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(retained.get("beeper/alerts/barn-hot")).contains("\"state\":\"firing\"");
                    assertThat(retained.get("homeassistant/binary_sensor/testnode_alert_barn_hot/config"))
                            .contains("\"device_class\":\"problem\"").contains("beeper/alerts/barn-hot");
                });
                probe.disconnect();
                probe.close();

                for (String path : List.of("/api/health", "/api/alerts", "/api/alerts/history")) {
                    String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.webPort() + path)).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                    assertThat(body).as(path).doesNotContain("hook-secret-123").doesNotContain("tk_secret_456")
                            .doesNotContain("smtp-password-789");
                    if (path.equals("/api/health")) {
                        assertThat(body).contains("alerts.webhook").contains("alerts.ntfy").contains("alerts.email").contains("alerts.mqtt");
                    }
                }

                // the time from a reading crossing the threshold to the webhook and the e-mail
                publish(app, 20);
                drain(hits, smtp);
                List<Double> toHook = new ArrayList<>();
                List<Double> toMail = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    long sent = System.nanoTime();
                    publish(app, 35);
                    Hit fired = next(hits, "/hook");
                    BenchSmtpServer.Mail m = smtp.received.poll(30, TimeUnit.SECONDS);
                    assertThat(m).isNotNull();
                    toHook.add((fired.nanos() - sent) / 1e6);
                    toMail.add((m.arrivedNanos() - sent) / 1e6);
                    publish(app, 20);
                    drain(hits, smtp);
                }
                System.out.printf("alert latency, reading published -> delivered (ms, n=20): webhook median %.1f p95 %.1f; e-mail median %.1f p95 %.1f%n",
                        pct(toHook, 50), pct(toHook, 95), pct(toMail, 50), pct(toMail, 95));
            }
        } finally {
            receiver.stop(0);
        }
    }

    private static double pct(List<Double> v, int p) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(Math.min(s.size() - 1, (int) Math.ceil(p / 100.0 * s.size()) - 1));
    }

    /** The next webhook/ntfy call to {@code path} (skipping other paths). */
    private static Hit next(BlockingQueue<Hit> hits, String path) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<Hit> others = new ArrayList<>();
        try {
            while (System.nanoTime() < deadline) {
                Hit h = hits.poll(1, TimeUnit.SECONDS);
                if (h != null && h.path().equals(path)) {
                    return h;
                }
                if (h != null) {
                    others.add(h);
                }
            }
        } finally {
            hits.addAll(others); // kept for the next look
        }
        throw new AssertionError("no call to " + path + " within 30 s");
    }

    /** Waits for the three "resolved" deliveries and throws them away. */
    private static void drain(BlockingQueue<Hit> hits, BenchSmtpServer smtp) throws InterruptedException {
        java.util.Set<String> seen = new java.util.HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (seen.size() < 2 && System.nanoTime() < deadline) {
            Hit h = hits.poll(1, TimeUnit.SECONDS);
            if (h != null && h.body().contains("esolved")) {
                seen.add(h.path());
            }
        }
        assertThat(seen).containsExactlyInAnyOrder("/hook", "/coop-alerts");
        assertThat(smtp.received.poll(30, TimeUnit.SECONDS)).isNotNull();
        hits.clear();
    }

    private static void publish(App app, double celsius) throws Exception {
        MqttClient c = new MqttClient(app.mqttUrl(), "outside-" + System.nanoTime(), new MemoryPersistence());
        c.connect();
        try {
            String payload = "{\"temperature\":" + celsius + ",\"humidity\":50,\"timestamp\":" + System.currentTimeMillis() / 1000.0 + "}";
            c.publish("beeper/barn/sensors/bme680/all", new MqttMessage(payload.getBytes(StandardCharsets.UTF_8)));
        } finally {
            c.disconnect();
            c.close();
        }
    }

    /** A client subscribed to the alert and Home Assistant topics, putting what arrives in {@code retained}; closed again if it fails. */
    private static MqttClient subscribedProbe(String url, Map<String, String> retained) throws Exception {
        MqttClient probe = new MqttClient(url, "probe-" + System.nanoTime(), new MemoryPersistence());
        try {
            probe.connect();
            for (String filter : List.of("beeper/alerts/#", "homeassistant/binary_sensor/#")) {
                probe.subscribe(filter, 1, (t, m) -> retained.put(t, new String(m.getPayload(), StandardCharsets.UTF_8)));
            }
            return probe;
        } catch (Exception e) {
            try {
                probe.disconnectForcibly(1000);
            } catch (Exception ignored) {
                // not connected
            }
            probe.close(true);
            throw e;
        }
    }
}

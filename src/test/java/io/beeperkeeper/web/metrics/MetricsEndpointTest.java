package io.beeperkeeper.web.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.App;
import io.beeperkeeper.TestHub;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /metrics} of a whole hub, read as Prometheus reads it: a reading refused by the hub
 * (an out-of-range value from a real MQTT client through the embedded broker) shows under its reason,
 * as in {@code /api/health}; the process, MQTT, store, camera, viewer, SSE and alert families are
 * there with sane values; viewers are counted per camera and protocol while they watch.
 */
class MetricsEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final List<String> REASONS = List.of("too_large", "not_json", "not_an_object", "bad_timestamp",
            "timestamp_ahead", "timestamp_too_old", "out_of_range", "no_known_field", "unknown_node");

    @TempDir
    static Path data;
    static App hub;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        hub = TestHub.start(data, Map.of("sensors.intervalSeconds", "0.3", "history.flushSeconds", "1"));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    static String base() {
        return "http://127.0.0.1:" + hub.webPort();
    }

    static PrometheusText scrape() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        return PrometheusText.parse(r.body());
    }

    @Test
    void aRefusedReadingIsCountedUnderItsReasonAsInHealth() throws Exception {
        PrometheusText before = scrape();
        for (String reason : REASONS) {
            assertThat(before.value("beeper_mqtt_messages_refused_total", Map.of("reason", reason)))
                    .as("refusal reason " + reason + " is listed from the start").isPresent();
        }
        assertThat(before.types.get("beeper_mqtt_messages_refused_total")).isEqualTo("counter");
        double outOfRange = before.value("beeper_mqtt_messages_refused_total", Map.of("reason", "out_of_range")).orElseThrow();
        double notJson = before.value("beeper_mqtt_messages_refused_total", Map.of("reason", "not_json")).orElseThrow();

        MqttClient client = new MqttClient(hub.mqttUrl(), "test-metrics-vandal", new MemoryPersistence());
        client.connect();
        try {
            MqttMessage m = new MqttMessage("{\"temperature\":-61}".getBytes(StandardCharsets.UTF_8));
            m.setQos(1);
            client.publish("beeper/sensors/bme680/all", m);
        } finally {
            client.disconnect();
            client.close();
        }

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(scrape()
                .value("beeper_mqtt_messages_refused_total", Map.of("reason", "out_of_range"))).contains(outOfRange + 1));
        PrometheusText after = scrape();
        assertThat(after.value("beeper_mqtt_messages_refused_total", Map.of("reason", "not_json"))).contains(notJson);
        // the same count as /api/health's "readings" entry
        JsonNode health = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base() + "/api/health")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(health.at("/components/readings/detail").asText()).contains("out_of_range " + (long) (outOfRange + 1));
    }

    @Test
    void everyFamilyIsThereWithSaneValues() throws Exception {
        await().atMost(DEADLINE).untilAsserted(() -> {
            PrometheusText p = scrape();
            assertThat(p.value("beeper_mqtt_messages_accepted_total").orElseThrow()).isPositive();
            assertThat(p.value("beeper_mqtt_messages_received_total").orElseThrow()).isPositive();
            assertThat(p.value("beeper_mqtt_messages_published_total").orElseThrow()).isPositive();
            assertThat(p.value("beeper_store_samples_written_total").orElseThrow()).isPositive();
            assertThat(p.value("beeper_store_commits_total").orElseThrow()).isPositive();
            for (String camera : List.of("csi", "usb")) {
                assertThat(p.value("beeper_camera_frames_relayed_total", Map.of("camera", camera)).orElseThrow()).isPositive();
                assertThat(p.value("beeper_camera_live", Map.of("camera", camera))).contains(1.0);
            }
            assertThat(p.value("process_cpu_usage").orElseThrow()).isBetween(0.0, 1.0);
        });
        PrometheusText p = scrape();
        assertThat(p.value("process_resident_memory_bytes").orElseThrow()).isGreaterThan(16.0 * 1024 * 1024);
        assertThat(p.types.get("process_resident_memory_bytes")).isEqualTo("gauge");
        assertThat(p.find("jvm_memory_used_bytes", Map.of("area", "heap")).stream().mapToDouble(PrometheusText.Sample::value).sum()).isPositive();
        assertThat(p.value("jvm_threads_live_threads").orElseThrow()).isPositive();
        assertThat(p.value("beeper_info", Map.of("node", "testnode"))).contains(1.0);

        assertThat(p.value("beeper_mqtt_queued_readings")).contains(0.0);
        assertThat(p.value("beeper_mqtt_messages_dropped_total")).contains(0.0);
        assertThat(p.value("beeper_mqtt_broker_refused_total", Map.of("reason", "rate_limited"))).contains(0.0);
        assertThat(p.value("beeper_store_errors_total")).contains(0.0);
        assertThat(p.value("beeper_store_samples_dropped_total")).contains(0.0);
        assertThat(p.value("beeper_store_queued_samples").orElseThrow()).isBetween(0.0, 20_000.0);
        // written counts the readings derived from received ones too (lights from lux), so neither bounds the other
        assertThat(p.value("beeper_store_samples_received_total").orElseThrow()).isPositive();
        assertThat(p.value("beeper_store_samples_written_total").orElseThrow()).isPositive();
        for (String camera : List.of("csi", "usb")) {
            assertThat(p.value("beeper_camera_restarts_total", Map.of("camera", camera)).orElseThrow()).isGreaterThanOrEqualTo(0.0);
            assertThat(p.value("beeper_camera_frames_dropped_total", Map.of("camera", camera)).orElseThrow()).isGreaterThanOrEqualTo(0.0);
            for (String protocol : List.of("webrtc", "mse", "llhls")) {
                assertThat(p.value("beeper_viewers", Map.of("camera", camera, "protocol", protocol)))
                        .as("viewers of " + camera + " over " + protocol).isPresent();
            }
        }
        // every rule is in exactly one state
        Set<String> rules = p.find("beeper_alert_state", Map.of()).stream().map(s -> s.labels().get("rule")).collect(Collectors.toSet());
        assertThat(rules).isNotEmpty();
        for (String rule : rules) {
            assertThat(p.find("beeper_alert_state", Map.of("rule", rule)).stream().mapToDouble(PrometheusText.Sample::value).sum())
                    .as("states of rule " + rule).isEqualTo(1.0);
            assertThat(p.find("beeper_alert_state", Map.of("rule", rule))).hasSize(4);
        }
        // Prometheus conventions for the hub's own: counters end in _total, base units only
        p.types.forEach((name, type) -> {
            if (!name.startsWith("beeper_")) {
                return;
            }
            assertThat(p.find(name, Map.of())).as("samples of " + name).isNotEmpty();
            if (type.equals("counter")) {
                assertThat(name).endsWith("_total");
            } else {
                assertThat(name).doesNotEndWith("_total");
            }
            assertThat(name).doesNotContain("_ms", "millis", "_kb", "_ns");
        });
    }

    @Test
    void viewersAreCountedPerCameraAndProtocolWhileTheyWatch() throws Exception {
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(scrape().value("beeper_camera_live", Map.of("camera", "csi"))).contains(1.0));
        double sseBefore = scrape().value("beeper_sse_clients").orElseThrow();

        WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + hub.webPort() + "/api/cameras/csi/ws"),
                new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onBinary(WebSocket webSocket, java.nio.ByteBuffer data, boolean last) {
                        webSocket.request(1);
                        return null;
                    }
                }).get();
        CompletableFuture<HttpResponse<InputStream>> sse = http.sendAsync(HttpRequest.newBuilder(URI.create(base() + "/api/events"))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        try {
            await().atMost(DEADLINE).untilAsserted(() -> {
                // an LL-HLS player reloads its playlist all the time; one request counts it for a while
                assertThat(http.send(HttpRequest.newBuilder(URI.create(base() + "/api/cameras/usb/index.m3u8")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
                PrometheusText p = scrape();
                assertThat(p.value("beeper_viewers", Map.of("camera", "csi", "protocol", "mse"))).contains(1.0);
                assertThat(p.value("beeper_viewers", Map.of("camera", "usb", "protocol", "mse"))).contains(0.0);
                assertThat(p.value("beeper_viewers", Map.of("camera", "usb", "protocol", "llhls"))).contains(1.0);
                assertThat(p.value("beeper_viewers", Map.of("camera", "csi", "protocol", "llhls"))).contains(0.0);
                assertThat(p.value("beeper_viewers", Map.of("camera", "csi", "protocol", "webrtc"))).contains(0.0);
                assertThat(p.value("beeper_sse_clients").orElseThrow()).isEqualTo(sseBefore + 1);
            });
        } finally {
            ws.abort();
            sse.thenAccept(r -> {
                try {
                    r.body().close();
                } catch (java.io.IOException e) {
                    // gone already
                }
            });
        }
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(scrape()
                .value("beeper_viewers", Map.of("camera", "csi", "protocol", "mse"))).contains(0.0));
    }

    @Test
    void metricsPassTheSameHostGuardAsHealth() throws Exception {
        // Java's HTTP client will not send a forged Host: written by hand
        for (String path : List.of("/metrics", "/api/health")) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", hub.webPort())) {
                s.setSoTimeout(30_000);
                s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
                assertThat(status).as(path + " for a foreign Host").isEqualTo("HTTP/1.1 421");
            }
        }
    }
}

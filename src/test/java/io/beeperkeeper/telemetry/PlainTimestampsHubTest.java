package io.beeperkeeper.telemetry;

import io.beeperkeeper.App;
import io.beeperkeeper.ManualClock;
import io.beeperkeeper.TestHub;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Timestamps leave the whole hub as plain decimals, on MQTT and in the API, as the seed's payloads had them. */
class PlainTimestampsHubTest {
    @Test
    void mqttPayloadsAndApiAnswersCarryPlainDecimalTimestamps(@TempDir Path dir) throws Exception {
        ManualClock clock = new ManualClock(Instant.ofEpochMilli(1796152234443L));
        try (App app = TestHub.start(dir, Map.of("sensors.intervalSeconds", "0.2", "mqtt.seedTopics", "true"), clock)) {
            Map<String, String> payloads = new ConcurrentHashMap<>();
            MqttClient probe = new MqttClient(app.mqttUrl(), "probe", new MemoryPersistence());
            probe.connect();
            try {
                probe.subscribe("beeper/#", 1, (t, m) -> payloads.put(t, new String(m.getPayload(), StandardCharsets.UTF_8)));
                await().atMost(Duration.ofSeconds(60)).until(() -> payloads.containsKey("beeper/sensors/bme680/all"));
                assertThat(payloads.get("beeper/sensors/bme680/all")).endsWith(",\"timestamp\":1796152234.443}");
            } finally {
                probe.disconnect();
                probe.close();
            }
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest latest = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.webPort() + "/api/metrics/latest")).build();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(http.send(latest, HttpResponse.BodyHandlers.ofString()).body()).contains("\"temperature\":{"));
            String body = http.send(latest, HttpResponse.BodyHandlers.ofString()).body();
            assertThat(body).contains("\"timestamp\":1796152234.443").doesNotContain("E9");
        }
    }
}

package io.beeperkeeper.web.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.App;
import io.beeperkeeper.TestHub;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole hub: a reading from another node over the real broker fires a keeper's rule, the alert is
 * listed, acknowledged through the request guards, kept in the history, and still firing after a restart.
 */
class AlertsHubTest {
    static final String RULES = """
            alerts:
              rules:
                barn-hot:
                  kind: threshold
                  metric: temperature
                  node: barn
                  above: 30
                  clear: 28
                  severity: critical
                  title: Barn too hot
            """;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    static void publishBarn(App app, double celsius) throws Exception {
        MqttClient c = new MqttClient(app.mqttUrl(), "outside-" + System.nanoTime(), new MemoryPersistence());
        c.connect();
        try {
            String payload = "{\"temperature\":" + celsius + ",\"humidity\":50,\"timestamp\":"
                    + System.currentTimeMillis() / 1000.0 + "}";
            c.publish("beeper/barn/sensors/bme680/all", new MqttMessage(payload.getBytes(StandardCharsets.UTF_8)));
        } finally {
            c.disconnect();
            c.close();
        }
    }

    private JsonNode get(App app, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.webPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    private HttpResponse<String> post(App app, String path, String type, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.webPort() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aReadingFromOutsideFiresTheRuleWhichIsListedAcknowledgedKeptAndSurvivesARestart(@TempDir Path dir) throws Exception {
        try (App app = TestHub.start(dir, RULES, Map.of("mqtt.acceptNodes", "barn"), Clock.systemUTC())) {
            JsonNode first = get(app, "/api/alerts");
            assertThat(first.path("rules").findValuesAsText("id")).contains("heat-stress", "cold", "day-length", "darkness",
                    "air", "sensor-offline", "camera-offline", "barn-hot");
            assertThat(first.path("active")).isEmpty();

            publishBarn(app, 35);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(get(app, "/api/alerts").path("active").findValuesAsText("id")).containsExactly("barn-hot"));
            JsonNode active = get(app, "/api/alerts").path("active").get(0);
            assertThat(active.path("severity").asText()).isEqualTo("critical");
            assertThat(active.path("value").asDouble()).isEqualTo(35.0);
            assertThat(active.path("title").asText()).isEqualTo("Barn too hot");

            assertThat(post(app, "/api/alerts/barn-hot/ack", "text/plain", "{}").statusCode()).isEqualTo(403); // the request guards: a form post from a foreign page
            assertThat(post(app, "/api/alerts/nope/ack", "application/json", "{}").statusCode()).isEqualTo(404);
            assertThat(post(app, "/api/alerts/cold/ack", "application/json", "{}").statusCode()).isEqualTo(409);
            HttpResponse<String> ack = post(app, "/api/alerts/barn-hot/ack", "application/json", "{}");
            assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
            assertThat(json.readTree(ack.body()).path("acknowledged").asBoolean()).isTrue();
            assertThat(json.readTree(ack.body()).path("acknowledgedBy").asText()).startsWith("local-");

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonNode h = get(app, "/api/alerts/history?rule=barn-hot").path("alerts");
                assertThat(h).hasSize(1);
                assertThat(h.get(0).path("acknowledgedBy").asText()).startsWith("local-");
                assertThat(h.get(0).path("ended").isNull()).isTrue();
            });
            assertThat(get(app, "/api/alerts/history?rule=cold").path("alerts")).isEmpty();
            HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.webPort()
                    + "/api/alerts/history?limit=0")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(bad.statusCode()).isEqualTo(400);
        }
        try (App again = TestHub.start(dir, RULES, Map.of("mqtt.acceptNodes", "barn"), Clock.systemUTC())) {
            JsonNode a = get(again, "/api/alerts").path("active");
            assertThat(a.findValuesAsText("id")).containsExactly("barn-hot");
            assertThat(a.get(0).path("acknowledged").asBoolean()).isTrue();
            publishBarn(again, 20);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(get(again, "/api/alerts/history?rule=barn-hot").path("alerts").get(0).path("ended").isNull()).isFalse());
            assertThat(get(again, "/api/alerts").path("active")).isEmpty();
        }
    }
}

package io.beeperkeeper.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.App;
import io.beeperkeeper.ManualClock;
import io.beeperkeeper.TestHub;
import io.beeperkeeper.health.ComponentHealth;
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
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A configured remote node ({@code mqtt.acceptNodes}) on the real embedded broker, with the hub on a
 * clock the test moves: its readings keep {@code node.<name>} up in health; silent for
 * {@code mqtt.nodeOfflineMinutes} it is down and the built-in {@code node-offline} rule fires; a reading
 * from it clears the rule again. A node that never spoke is offline too once the time has passed.
 */
class NodeOfflineHubTest {
    @TempDir
    Path dir;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aSilentNodeGoesOfflineInHealthAndFiresTheNodeOfflineRule() throws Exception {
        ManualClock clock = new ManualClock(Instant.now());
        try (App hub = TestHub.start(dir, Map.of("mqtt.acceptNodes", "barn,shed", "mqtt.nodeOfflineMinutes", "5",
                "sensors.intervalSeconds", "3600"), clock)) {
            assertThat(hub.health().snapshot().get("node.barn").status()).isEqualTo(ComponentHealth.Status.STARTING);
            publish(hub, "barn", clock);
            heard(hub, "barn");
            assertThat(ruleState(hub)).isEqualTo("ok");

            clock.advance(Duration.ofMinutes(4));
            publish(hub, "barn", clock);
            heard(hub, "barn");
            clock.advance(Duration.ofMinutes(4)); // barn spoke 4 min ago; shed never, 8 min since start
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(hub.health().snapshot().get("node.barn").status()).isEqualTo(ComponentHealth.Status.UP);
                assertThat(hub.health().snapshot().get("node.shed").status()).isEqualTo(ComponentHealth.Status.DOWN);
                assertThat(hub.health().snapshot().get("node.shed").detail()).contains("since the hub started");
            });
            await().atMost(Duration.ofSeconds(60)).until(() -> ruleState(hub).equals("firing"));
            assertThat(rule(hub).path("detail").asText()).contains("node.shed").doesNotContain("node.barn");

            clock.advance(Duration.ofMinutes(2)); // barn silent for 6 min now
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(hub.health().snapshot().get("node.barn").status()).isEqualTo(ComponentHealth.Status.DOWN);
                assertThat(hub.health().snapshot().get("node.barn").detail()).contains("for 6 min");
                assertThat(rule(hub).path("detail").asText()).contains("node.barn").contains("node.shed");
            });

            publish(hub, "barn", clock);
            publish(hub, "shed", clock);
            await().atMost(Duration.ofSeconds(60)).until(() -> ruleState(hub).equals("resolved") || ruleState(hub).equals("ok"));
            assertThat(hub.health().snapshot().get("node.shed").status()).isEqualTo(ComponentHealth.Status.UP);
        }
    }

    /** Waits until the hub has taken the node's reading at the clock's present time. */
    private static void heard(App hub, String node) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            ComponentHealth h = hub.health().snapshot().get("node." + node);
            return h.status() == ComponentHealth.Status.UP && h.detail().equals("last reading 0 s ago");
        });
    }

    private JsonNode rule(App hub) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.webPort() + "/api/alerts")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (JsonNode r : json.readTree(body).path("rules")) {
            if (r.path("id").asText().equals("node-offline")) {
                return r;
            }
        }
        throw new AssertionError("no node-offline rule in " + body);
    }

    private String ruleState(App hub) throws Exception {
        return rule(hub).path("state").asText();
    }

    /** A reading as the remote node publishes it, from a separate MQTT client. */
    private static void publish(App hub, String node, ManualClock clock) throws Exception {
        MqttClient c = new MqttClient(hub.mqttUrl(), node + "-" + System.nanoTime(), new MemoryPersistence());
        c.connect();
        try {
            String payload = "{\"temperature\":20,\"humidity\":50,\"timestamp\":" + clock.millis() / 1000.0 + "}";
            MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
            m.setQos(1);
            c.publish("beeper/" + node + "/sensors/bme680/all", m);
        } finally {
            c.disconnect();
            c.close();
        }
    }
}

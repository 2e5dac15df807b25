package io.beeperkeeper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The whole hub on free loopback ports, observed from outside: a separate MQTT client and HTTP. */
class HubIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, List<String>> SEED_FIELDS = Map.of(
            "beeper/sensors/bme680/all", List.of("temperature", "humidity", "pressure", "gas_resistance", "iaq", "iaq_class", "timestamp"),
            "beeper/sensors/cpu/temperature", List.of("temperature", "timestamp"),
            "beeper/system/stats", List.of("cpu_percent", "memory_percent", "disk_percent", "timestamp"),
            "beeper/camera/csi/metadata", List.of("ExposureTime", "AnalogueGain", "Lux", "ColourTemperature", "timestamp"),
            "beeper/audio/level", List.of("level_db", "timestamp"));

    /** How long a test waits for the whole hub (broker, sensors, camera metadata): generous, for a loaded machine. */
    static final Duration HUB = Duration.ofSeconds(60);
    @TempDir
    static Path data;
    static App hub;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        hub = TestHub.start(data, Map.of("sensors.intervalSeconds", "0.3", "mqtt.acceptNodes", "othernode"));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void everySeedTopicArrivesWithItsFields() throws Exception {
        Map<String, JsonNode> seen = new ConcurrentHashMap<>();
        MqttClient client = new MqttClient(hub.mqttUrl(), "test-observer", new MemoryPersistence());
        client.connect();
        try {
            client.subscribe("beeper/#", (topic, msg) -> seen.put(topic, JSON.readTree(msg.getPayload())));
            await().atMost(HUB).until(() -> seen.keySet().containsAll(SEED_FIELDS.keySet()));
        } finally {
            client.disconnect();
            client.close();
        }
        SEED_FIELDS.forEach((topic, fields) -> {
            JsonNode payload = seen.get(topic);
            for (String f : fields) {
                assertThat(payload.has(f)).as(topic + " has " + f + ": " + payload).isTrue();
            }
            double ts = payload.get("timestamp").asDouble();
            assertThat(ts).as("timestamp in epoch seconds").isCloseTo(System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(30.0));
        });
        assertThat(seen.get("beeper/sensors/bme680/all").get("iaq_class").asText())
                .isIn("Excellent", "Good", "Lightly polluted", "Moderately polluted", "Heavily polluted", "Severely polluted", "Extremely polluted");
    }

    @Test
    void latestMetricsServedAsJson() throws Exception {
        await().atMost(HUB).untilAsserted(() -> {
            JsonNode latest = getJson("/api/metrics/latest");
            for (String m : List.of("temperature", "humidity", "pressure", "gas_resistance", "iaq", "cpu_temperature",
                    "cpu_percent", "memory_percent", "disk_percent", "lux", "exposure_time", "analogue_gain",
                    "colour_temperature", "audio_level_db")) {
                assertThat(latest.has(m)).as("latest has " + m + ": " + latest).isTrue();
                assertThat(latest.get(m).get("value").isNumber()).isTrue();
            }
            assertThat(latest.get("iaq").get("text").asText()).isNotBlank();
            assertThat(latest.get("temperature").get("unit").asText()).isEqualTo("°C");
        });
    }

    @Test
    void eventStreamPushesSnapshotThenReadings() throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(base() + "/api/events").toURL().openConnection();
        c.setRequestProperty("Accept", "text/event-stream");
        c.setReadTimeout((int) HUB.toMillis());
        assertThat(c.getContentType()).startsWith("text/event-stream");
        boolean snapshot = false;
        int readings = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8))) {
            String event = null;
            for (String line; (line = r.readLine()) != null && readings < 3; ) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7).trim();
                } else if (line.startsWith("data: ")) {
                    JsonNode d = JSON.readTree(line.substring(6));
                    if ("snapshot".equals(event)) {
                        snapshot = true;
                    } else if ("reading".equals(event)) {
                        assertThat(d.get("metric").asText()).isNotBlank();
                        assertThat(d.get("value").isNumber()).isTrue();
                        readings++;
                    }
                }
            }
        } finally {
            c.disconnect();
        }
        assertThat(snapshot).isTrue();
        assertThat(readings).isEqualTo(3);
    }

    @Test
    void healthReportsComponents() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode h = JSON.readTree(r.body());
        assertThat(h.get("components").has("broker")).isTrue();
        assertThat(h.get("components").has("sensors")).isTrue();
        assertThat(h.get("components").get("broker").get("status").asText()).isEqualTo("up");
    }

    @Test
    void malformedPayloadsAreRefusedAndTheHubGoesOn() throws Exception {
        MqttClient client = new MqttClient(hub.mqttUrl(), "test-vandal", new MemoryPersistence());
        client.connect();
        try {
            for (String bad : List.of("not json", "[1,2]", "{\"temperature\":\"hot\"}", "{\"temperature\":1e999}", "{\"timestamp\":\"x\",\"temperature\":3}")) {
                client.publish("beeper/sensors/bme680/all", new MqttMessage(bad.getBytes(StandardCharsets.UTF_8)));
            }
            MqttMessage good = new MqttMessage(("{\"temperature\":-7.25,\"timestamp\":" + (System.currentTimeMillis() / 1000.0 + 5) + "}").getBytes(StandardCharsets.UTF_8));
            client.publish("beeper/othernode/sensors/bme680/all", good);
        } finally {
            client.disconnect();
            client.close();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(getJson("/api/metrics/latest").path("othernode/temperature").path("value").asDouble()).isEqualTo(-7.25));
        assertThat(getJson("/api/health").path("components").path("readings").path("detail").asText())
                .contains("not_json", "not_an_object", "no_known_field", "bad_timestamp");
    }

    @Test
    void takenPortIsReportedWithTheSettingToChange() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestHub.start(data.resolve("second"),
                            Map.of("web.port", Integer.toString(taken.getLocalPort()))))
                    .isInstanceOf(StartupException.class)
                    .hasMessageContaining("already in use").hasMessageContaining("BEEPER_WEB_PORT");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestHub.start(data.resolve("third"),
                            Map.of("mqtt.port", Integer.toString(taken.getLocalPort()))))
                    .isInstanceOf(StartupException.class)
                    .hasMessageContaining("already in use").hasMessageContaining("mqtt.port");
        }
    }

    private static String base() {
        return "http://127.0.0.1:" + hub.webPort();
    }

    private static JsonNode getJson(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}

package io.beeperkeeper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole hub reading rpicam-vid's metadata FIFO (as the camera would write it): good records
 * become the light level on the page's API, garbage is skipped, and both counts show in /api/health.
 */
class CameraMetadataHubTest {
    /** How long a test waits for the whole hub: generous, for a loaded 2-core machine. */
    static final Duration HUB = Duration.ofSeconds(60);
    /** sensors.cameraMetadata.intervalSeconds in these tests: the hub keeps one record per interval. */
    static final Duration INTERVAL = Duration.ofMillis(100);

    /**
     * Waits until the hub shows the first record's light level, then lets more than one interval pass, as a
     * camera's next frames would: a record the hub read within the same interval would be dropped by design.
     */
    static void nextFrameAfterTheInterval(HttpClient http, ObjectMapper json, String base, double firstLux) throws InterruptedException {
        await("the first record's light level").atMost(HUB).untilAsserted(() -> assertThat(json.readTree(http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/metrics/latest")).build(), HttpResponse.BodyHandlers.ofString()).body())
                .path("lux").path("value").asDouble()).isEqualTo(firstLux));
        Thread.sleep(INTERVAL.toMillis() * 2); // the quiet period the scenario needs, not a wait for the hub
    }
    @Test
    void fifoRecordsReachTheHubAndCountsShowInHealth(@TempDir Path data) throws Exception {
        Path fifo = data.resolve("csi-metadata");
        ObjectMapper json = new ObjectMapper();
        HttpClient http = HttpClient.newHttpClient();
        try (App hub = TestHub.start(data, Map.of("sensors.mode", "auto", "sensors.intervalSeconds", "3600",
                "sensors.cameraMetadata.fifo", fifo.toString(), "sensors.cameraMetadata.format", "txt",
                "sensors.cameraMetadata.intervalSeconds", "0.1"))) {
            assertThat(fifo).exists();
            String base = "http://127.0.0.1:" + hub.webPort();
            try (OutputStream camera = Files.newOutputStream(fifo)) {
                camera.write(("ExposureTime=12000\nAnalogueGain=1.5\nLux=77.5\nColourTemperature=4100\n\n"
                        + "this is not a metadata line\n\n").getBytes(StandardCharsets.UTF_8));
                camera.flush();
                nextFrameAfterTheInterval(http, json, base, 77.5);
                camera.write("ExposureTime=13000\nLux=81.25\n\n".getBytes(StandardCharsets.UTF_8));
            }
            await().atMost(HUB).untilAsserted(() -> {
                JsonNode latest = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/metrics/latest")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                assertThat(latest.path("lux").path("value").asDouble()).isEqualTo(81.25);
                JsonNode health = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                assertThat(health.path("components").path("camera metadata").path("detail").asText())
                        .contains("2 records").contains("1 garbage or truncated records skipped");
            });
        }
    }

    /** One setting: a rpicam camera with metadataFifo set feeds the metadata sensor, and the hub creates the FIFO. */
    @Test
    void aRpicamCamerasMetadataFifoFeedsTheSensorWithoutASecondSetting(@TempDir Path data) throws Exception {
        Path fifo = data.resolve("csi-metadata");
        Path yaml = data.resolve("beeper.yaml");
        Files.writeString(yaml, "cameras:\n  csi:\n    source: rpicam\n    metadataFifo: " + fifo + "\n");
        Map<String, String> o = new java.util.LinkedHashMap<>();
        o.put("web.host", "127.0.0.1");
        o.put("web.port", "0");
        o.put("mqtt.host", "127.0.0.1");
        o.put("mqtt.port", Integer.toString(Ports.freePort()));
        o.put("data.dir", data.resolve("data").toString());
        o.put("sensors.mode", "auto");
        o.put("sensors.intervalSeconds", "3600");
        o.put("sensors.cameraMetadata.intervalSeconds", "0.1");
        o.put("node.name", "testnode");
        o.put("webrtc.udpHost", "127.0.0.1");
        o.put("webrtc.udpPort", "0");
        o.put("rtsp.enabled", "false");
        o.put("motion.enabled", "false"); // as TestHub: no motion decoder or pre-roll this test does not use
        o.put("recordings.enabled", "false");
        ObjectMapper json = new ObjectMapper();
        HttpClient http = HttpClient.newHttpClient();
        try (App hub = new App(new io.beeperkeeper.config.ConfigLoader().load(yaml, Map.of(), o), java.time.Clock.systemUTC()).start()) {
            assertThat(Files.isRegularFile(fifo)).as("a FIFO, never a growing file").isFalse();
            assertThat(fifo).exists();
            try (OutputStream camera = Files.newOutputStream(fifo)) {
                // rpicam-vid --metadata-format json, as CameraCommand starts it
                camera.write("[\n{\n    \"ExposureTime\": 12000,\n    \"Lux\": 64.5,\n    \"ColourTemperature\": 4100\n}"
                        .getBytes(StandardCharsets.UTF_8));
                camera.flush();
                nextFrameAfterTheInterval(http, json, "http://127.0.0.1:" + hub.webPort(), 64.5);
                camera.write(",\n{\n    \"ExposureTime\": 13000,\n    \"Lux\": 66.25\n}".getBytes(StandardCharsets.UTF_8));
            }
            String base = "http://127.0.0.1:" + hub.webPort();
            await().atMost(HUB).untilAsserted(() -> {
                JsonNode latest = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/metrics/latest")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                assertThat(latest.path("lux").path("value").asDouble()).isEqualTo(66.25);
            });
            // auto on a machine without a BME680: nothing invented, and health names what is missing
            JsonNode latest = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/metrics/latest")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(latest.has("temperature")).isFalse();
            assertThat(latest.has("humidity")).isFalse();
            JsonNode health = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(health.path("components").path("sensors").path("detail").asText())
                    .contains("not connected: sensors/bme680/all (").contains("raspi-config");
        }
    }
}

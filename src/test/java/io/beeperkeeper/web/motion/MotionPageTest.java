package io.beeperkeeper.web.motion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.App;
import io.beeperkeeper.TestHub;
import io.beeperkeeper.motion.LabelledFootageTest;
import io.beeperkeeper.web.HeadlessChromium;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Motion on a whole hub in headless Chromium: a file camera plays the labelled footage (a box moving
 * through a still scene), a zone is drawn over the box's path on the camera's picture and saved, the
 * hub keeps it ({@code /api/motion/coop/zones}, {@code <data>/motion/zones.json}), and the next
 * event shows on the page with the zone's name, its thumbnail and the camera's motion badge. The same
 * events go to MQTT as retained ON/OFF JSON, with a Home Assistant motion {@code binary_sensor}.
 */
class MotionPageTest {
    @TempDir
    Path data;

    @Test
    void aZoneDrawnOnThePictureIsKeptAndTheNextEventShowsWithIt() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")) && Files.isExecutable(Path.of("/usr/bin/chromedriver")),
                "chromium and chromium-driver are not installed");
        Path clip = LabelledFootageTest.footage(data, "coop.mp4", false);
        String yaml = "cameras:\n  coop:\n    source: file\n    file: " + clip + "\n";
        try (App hub = TestHub.start(data, yaml, Map.of("motion.enabled", "true", "sensors.intervalSeconds", "3600"), Clock.systemUTC());
             HeadlessChromium chromium = new HeadlessChromium(Map.of())) {
            String base = "http://127.0.0.1:" + hub.webPort() + "/";
            HttpClient http = HttpClient.newHttpClient();
            ObjectMapper json = new ObjectMapper();
            Map<String, String> retained = new ConcurrentHashMap<>();
            List<String> states = new CopyOnWriteArrayList<>();
            MqttClient probe = new MqttClient(hub.mqttUrl(), "motion-probe", new MemoryPersistence());
            probe.connect();
            org.eclipse.paho.client.mqttv3.IMqttMessageListener keep = (t, m) -> {
                String body = new String(m.getPayload(), StandardCharsets.UTF_8);
                retained.put(t, body);
                if (t.endsWith("/motion")) {
                    states.add(json.readTree(body).path("state").asText());
                }
            };
            probe.subscribe("beeper/testnode/camera/coop/motion", 1, keep);
            probe.subscribe("homeassistant/binary_sensor/#", 1, keep);

            ChromeDriver page = chromium.driver();
            JavascriptExecutor js = page;
            page.get(base);
            WebElement toggle = await("the camera's zone button").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> page.findElements(By.cssSelector("#camera-coop .motion-zones")).stream().findFirst().orElse(null), e -> e != null);
            await("the picture's size is known").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> ((Number) js.executeScript("return document.querySelector('#camera-coop video').videoWidth")).intValue() > 0);
            toggle.click();
            // the box moves along y 90..134 of 240: a zone over that band, clicked corner by corner
            for (double[] p : new double[][]{{0.02, 0.3}, {0.98, 0.3}, {0.98, 0.65}, {0.02, 0.65}}) {
                js.executeScript("""
                        const c = document.querySelector('#camera-coop .motion-overlay');
                        const v = document.querySelector('#camera-coop video');
                        const b = c.getBoundingClientRect();
                        const s = Math.min(c.width / v.videoWidth, c.height / v.videoHeight);
                        const w = v.videoWidth * s, h = v.videoHeight * s;
                        const x = (c.width - w) / 2 + arguments[0] * w, y = (c.height - h) / 2 + arguments[1] * h;
                        c.dispatchEvent(new MouseEvent('click', { bubbles: true,
                          clientX: b.left + x * b.width / c.width, clientY: b.top + y * b.height / c.height }));
                        """, p[0], p[1]);
            }
            page.findElement(By.cssSelector("#camera-coop .motion-finish")).click();
            page.findElement(By.cssSelector("#camera-coop .motion-save")).click();
            await("saved").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> page.findElement(By.cssSelector("#camera-coop .motion-message")).getText(), t -> t.equals("saved"));

            JsonNode zones = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "api/motion/coop/zones")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(zones.path("zones")).hasSize(1);
            assertThat(zones.path("zones").path(0).path("name").asText()).isEqualTo("zone 1");
            JsonNode corners = zones.path("zones").path(0).path("points");
            assertThat(corners).hasSize(4);
            assertThat(corners.path(0).path(0).asDouble()).isCloseTo(0.02, org.assertj.core.data.Offset.offset(0.02));
            assertThat(corners.path(2).path(1).asDouble()).isCloseTo(0.65, org.assertj.core.data.Offset.offset(0.02));
            assertThat(Files.readString(data.resolve("motion/zones.json"))).contains("zone 1");

            await("an event in the zone on the page").atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(250))
                    .until(() -> page.findElements(By.cssSelector("#motion .motion-event")).stream()
                            .anyMatch(li -> li.getText().contains("coop (zone 1)")));
            await("its thumbnail shows").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> (Boolean) js.executeScript("return [...document.querySelectorAll('#motion .motion-event img')]"
                            + ".some(i => i.complete && i.naturalWidth === 160)"));
            await("the badge lights up during motion").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                    .until(() -> page.findElement(By.cssSelector("#camera-coop .camera-motion")).getAttribute("data-moving"), "true"::equals);
            await("and goes out after it").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                    .until(() -> page.findElement(By.cssSelector("#camera-coop .camera-motion")).getAttribute("data-moving"), "false"::equals);

            JsonNode api = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "api/motion?camera=coop")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(api.path("events").size()).isGreaterThanOrEqualTo(1);
            assertThat(api.path("cameras").path(0).path("zones").path(0).path("name").asText()).isEqualTo("zone 1");

            await("motion state on MQTT").atMost(Duration.ofSeconds(30)).until(() -> states.contains("ON") && states.contains("OFF"));
            String config = await("the Home Assistant motion sensor").atMost(Duration.ofSeconds(30))
                    .until(() -> retained.get("homeassistant/binary_sensor/beeper_testnode_motion_coop/config"), c -> c != null);
            JsonNode c = json.readTree(config);
            assertThat(c.path("device_class").asText()).isEqualTo("motion");
            assertThat(c.path("state_topic").asText()).isEqualTo("beeper/testnode/camera/coop/motion");
            assertThat(c.path("value_template").asText()).isEqualTo("{{ value_json.state }}");
            probe.disconnect();
            probe.close();
        }
    }
}

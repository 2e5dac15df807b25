package io.beeperkeeper.web.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.App;
import io.beeperkeeper.TestHub;
import io.beeperkeeper.web.Browser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * In Chromium: an alert (fired by a reading published with mosquitto_pub) is marked on every history
 * chart as a shaded band: listed in the chart's {@code data-alert-bands} and painted on its canvas in
 * the alert's colour (red for critical), where the chart beside it is not. A second alert that fires
 * while the page is open is marked at once, without waiting for the periodic refresh.
 */
class AlertBandsPageTest {
    private static final String RULES = """
            alerts:
              rules:
                pressure-high:
                  kind: threshold
                  metric: pressure
                  above: 1080
                  severity: critical
                  title: Pressure sensor reads nonsense
                gas-low:
                  kind: threshold
                  metric: gas_resistance
                  below: 10
                  severity: warning
            """;
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void alertsAreShadedBandsOnTheHistoryCharts(@TempDir Path data) throws Exception {
        try (App hub = TestHub.start(data, RULES, Map.of("sensors.intervalSeconds", "5"), Clock.systemUTC())) {
            publish(hub, "{\"pressure\":1090,\"timestamp\":" + System.currentTimeMillis() / 1000.0 + "}");
            await().atMost(Duration.ofSeconds(60)).until(() -> get(hub, "/api/alerts/history").contains("pressure-high"));

            ChromeDriver browser = Browser.start();
            try {
                browser.get("http://127.0.0.1:" + hub.webPort() + "/");
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
                for (String chart : List.of("temperature", "humidity")) {
                    wait.until(d -> bands(d, chart).size() == 1);
                    JsonNode band = bands(browser, chart).get(0);
                    assertThat(band.path("rule").asText()).isEqualTo("pressure-high");
                    assertThat(band.path("severity").asText()).isEqualTo("critical");
                    assertThat(band.path("x1").asDouble() - band.path("x0").asDouble()).isGreaterThanOrEqualTo(2.9);
                    // painted: the band's column is red on the canvas, 40 px to its left it is not
                    assertThat(reddish(browser, chart, band)).as("band on %s", chart).isGreaterThanOrEqualTo(3);
                }
                assertThat(browser.findElement(By.cssSelector("#history-temperature .history-note")).getText()).contains("alerts");

                // a warning fires with the page open: marked at once, in orange
                publish(hub, "{\"gas_resistance\":5,\"timestamp\":" + System.currentTimeMillis() / 1000.0 + "}");
                wait.until(d -> bands(d, "temperature").size() == 2);
                assertThat(bands(browser, "temperature")).extracting(b -> b.path("severity").asText())
                        .containsExactlyInAnyOrder("critical", "warning");
            } finally {
                browser.quit();
            }
        }
    }

    private List<JsonNode> bands(org.openqa.selenium.WebDriver d, String chart) {
        String attr = d.findElement(By.id("history-" + chart)).getAttribute("data-alert-bands");
        try {
            JsonNode n = json.readTree(attr == null ? "[]" : attr);
            java.util.ArrayList<JsonNode> out = new java.util.ArrayList<>();
            n.forEach(out::add);
            return out;
        } catch (java.io.IOException e) {
            throw new AssertionError(attr, e);
        }
    }

    /**
     * How many of 5 points down the band's middle column are painted red over what the canvas has 40 px
     * to the left at the same height (the series' own min/max band and line are drawn over both).
     */
    private static long reddish(ChromeDriver browser, String chart, JsonNode band) {
        Object n = browser.executeScript("""
                const [chart, x0, x1, top, bottom] = arguments;
                const canvas = document.querySelector('#history-' + chart + ' canvas');
                const ctx = canvas.getContext('2d');
                const k = canvas.width / canvas.getBoundingClientRect().width;
                const x = Math.round(((x0 + x1) / 2) * k);
                const beside = Math.round(((x0 + x1) / 2 - 40) * k);
                let red = 0;
                for (let i = 1; i <= 5; i++) {
                  const y = Math.round((top + (bottom - top) * i / 6) * k);
                  const [r, g, b, a] = ctx.getImageData(x, y, 1, 1).data;
                  const [r2, g2, b2, a2] = ctx.getImageData(beside, y, 1, 1).data;
                  // premultiplied by alpha: how much red the band adds over the background
                  if (r * a / 255 - r2 * a2 / 255 > 30) red++;
                }
                return red;
                """, chart, band.path("x0").asDouble(), band.path("x1").asDouble(), band.path("top").asDouble(),
                band.path("bottom").asDouble());
        return ((Number) n).longValue();
    }

    private static String get(App hub, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.webPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void publish(App hub, String payload) throws Exception {
        URI broker = URI.create(hub.mqttUrl());
        Process pub = new ProcessBuilder("mosquitto_pub", "-h", broker.getHost(), "-p", Integer.toString(broker.getPort()),
                "-t", "beeper/sensors/bme680/all", "-m", payload).inheritIO().start();
        assertThat(pub.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(pub.exitValue()).isZero();
    }
}

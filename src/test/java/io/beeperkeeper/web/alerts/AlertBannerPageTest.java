package io.beeperkeeper.web.alerts;

import io.beeperkeeper.App;
import io.beeperkeeper.TestHub;
import io.beeperkeeper.web.Browser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In Chromium: a reading published from outside the hub with mosquitto_pub on the seed topic fires a
 * rule, the banner appears within 2 s, the panel lists the alert and acknowledging it from the page works.
 */
class AlertBannerPageTest {
    private static final String RULES = """
            alerts:
              rules:
                pressure-high:
                  kind: threshold
                  metric: pressure
                  above: 1080
                  severity: critical
                  title: Pressure sensor reads nonsense
            """;

    @Test
    void bannerWithinTwoSecondsOfAReadingFromMosquittoPub(@TempDir Path data) throws Exception {
        try (App hub = TestHub.start(data, RULES, Map.of("sensors.intervalSeconds", "3600"), Clock.systemUTC())) {
            ChromeDriver browser = Browser.start();
            try {
                browser.get("http://127.0.0.1:" + hub.webPort() + "/");
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class); // the panel redraws on each event
                wait.until(d -> "live".equals(d.findElement(By.id("connection")).getAttribute("data-state")));
                try {
                    wait.until(d -> d.findElement(By.id("alerts-active")).getText().contains("No active alerts"));
                } catch (RuntimeException e) {
                    throw new AssertionError("alert panel: '" + browser.findElement(By.id("alerts")).getText() + "' log: "
                            + browser.manage().logs().get("browser").getAll(), e);
                }

                // The page notes the moment the banner appears (the browser's clock is the hub's: one machine),
                // so the figure is the page's own, not how often this test polls or how fast a process starts.
                browser.executeScript("""
                        const b = document.getElementById('alert-banner');
                        window.bannerShownAt = 0;
                        new MutationObserver(() => {
                          if (!window.bannerShownAt && !b.hidden && b.textContent.includes('Pressure sensor reads nonsense')) {
                            window.bannerShownAt = Date.now();
                          }
                        }).observe(b, { attributes: true, childList: true, subtree: true, characterData: true });
                        """);
                URI broker = URI.create(hub.mqttUrl());
                String payload = "{\"pressure\":1090,\"timestamp\":" + System.currentTimeMillis() / 1000.0 + "}";
                Process pub = new ProcessBuilder("mosquitto_pub", "-h", broker.getHost(), "-p", Integer.toString(broker.getPort()),
                        "-t", "beeper/sensors/bme680/all", "-m", payload).inheritIO().start();
                WebElement banner = browser.findElement(By.id("alert-banner"));
                wait.until(d -> banner.isDisplayed() && banner.getText().contains("Pressure sensor reads nonsense"));
                assertThat(pub.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(pub.exitValue()).isZero();
                // from the rule firing (its "since", on the hub's clock) to the banner on the page
                long shownAt = ((Number) browser.executeScript("return window.bannerShownAt;")).longValue();
                String alerts = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + hub.webPort() + "/api/alerts")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                Instant firedAt = Instant.parse(new com.fasterxml.jackson.databind.ObjectMapper().readTree(alerts)
                        .path("active").findParents("id").stream().filter(n -> n.path("id").asText().equals("pressure-high"))
                        .findFirst().orElseThrow(() -> new AssertionError("pressure-high not active: " + alerts)).path("since").asText());
                double seconds = (shownAt - firedAt.toEpochMilli()) / 1e3;
                System.out.printf("alert banner shown %.3f s after the rule fired%n", seconds);
                assertThat(shownAt).as("the page noted the banner").isPositive();
                assertThat(seconds).as("seconds from the rule firing to the banner").isLessThan(2.0);
                assertThat(banner.getAttribute("data-severity")).isEqualTo("critical");

                wait.until(d -> d.findElement(By.cssSelector("#alerts-active [data-id=pressure-high]")).isDisplayed());
                wait.until(d -> {
                    d.findElement(By.cssSelector("#alerts-active [data-id=pressure-high] .alert-ack-button")).click();
                    return true;
                });
                wait.until(d -> d.findElement(By.cssSelector("#alerts-active [data-id=pressure-high]")).getText()
                        .contains("acknowledged by local-"));
                wait.until(d -> d.findElement(By.id("alerts-history")).getText().contains("Pressure sensor reads nonsense"));
            } finally {
                browser.quit();
            }
        }
    }
}

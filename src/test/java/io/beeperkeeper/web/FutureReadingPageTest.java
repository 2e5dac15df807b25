package io.beeperkeeper.web;

import io.beeperkeeper.App;
import io.beeperkeeper.TestHub;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A value stamped ahead of now never reaches a card: here the hub's clock runs a day ahead, so its own
 * sensors' readings are from the page's future, and only a reading stamped in the present shows.
 */
class FutureReadingPageTest {
    @Test
    void valuesFromTheFutureAreNotShown(@TempDir Path data) throws Exception {
        try (App hub = TestHub.start(data, Map.of("sensors.intervalSeconds", "3600"),
                Clock.offset(Clock.systemUTC(), Duration.ofDays(1)))) {
            ChromeDriver browser = Browser.start();
            try {
                // the hub has taken its sensors' first round (stamped a day ahead) before the page opens
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                        .until(() -> hub.health().snapshot().get("readings").detail().matches("[1-9]\\d* accepted.*"));
                browser.get("http://127.0.0.1:" + hub.webPort() + "/");
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                wait.until(d -> "live".equals(d.findElement(By.id("connection")).getAttribute("data-state")));
                MqttClient client = new MqttClient(hub.mqttUrl(), "future-test", new MemoryPersistence());
                client.connect();
                try {
                    double now = System.currentTimeMillis() / 1000.0;
                    client.publish("beeper/sensors/bme680/all", new MqttMessage(("{\"humidity\":55.5,\"timestamp\":" + now + "}")
                            .getBytes(StandardCharsets.UTF_8)));
                } finally {
                    client.disconnect();
                    client.close();
                }
                wait.until(d -> d.findElement(By.cssSelector("[data-metric=humidity] .number")).getText().equals("55.5"));
                assertThat(browser.findElement(By.cssSelector("[data-metric=temperature] .number")).getText()).isEqualTo("–");
                assertThat(browser.findElement(By.cssSelector("[data-metric=cpu_temperature] .number")).getText()).isEqualTo("–");
            } finally {
                browser.quit();
            }
        }
    }
}

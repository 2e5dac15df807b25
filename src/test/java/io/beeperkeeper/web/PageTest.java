package io.beeperkeeper.web;

import io.beeperkeeper.App;
import io.beeperkeeper.TestHub;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/** The live page in real headless Chromium: cards fill with numbers and follow new readings. */
class PageTest {
    @TempDir
    static Path data;
    static App hub;
    static Instant hubStarted;
    static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        // one sensor round at start, then quiet, so the readings the test publishes are the newest;
        // the sensors' clock runs 15 minutes behind, so their values reach the page already old
        hubStarted = Instant.now();
        hub = TestHub.start(data, Map.of("sensors.intervalSeconds", "3600"),
                Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-15)));
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        hub.close();
    }

    @Test
    void cardsShowNumbersAndFollowNewReadings() throws Exception {
        browser.get("http://127.0.0.1:" + hub.webPort() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));

        List<WebElement> cards = browser.findElements(By.cssSelector("#metrics .card"));
        assertThat(cards).hasSize(5);
        wait.until(d -> d.findElements(By.cssSelector("#metrics .card .number")).stream()
                .allMatch(n -> n.getText().matches("-?\\d+(\\.\\d+)?")));
        assertThat(browser.findElement(By.cssSelector("[data-label=iaq]")).getText()).isNotBlank();
        assertThat(browser.findElement(By.cssSelector("[data-label=lights]")).getText()).matches("lights (on|off)");

        // a colour check: the page's look is part of the product
        assertThat(browser.executeScript("return getComputedStyle(document.body).backgroundColor")).isEqualTo("rgb(15, 23, 42)");
        assertThat(browser.executeScript("return getComputedStyle(document.querySelector('.card')).borderTopColor")).isEqualTo("rgb(20, 184, 166)");
        assertThat(browser.findElement(By.cssSelector("#camera-csi figcaption")).getText()).startsWith("CSI camera");
        assertThat(browser.findElement(By.cssSelector("#camera-usb figcaption")).getText()).startsWith("USB camera");

        MqttClient client = new MqttClient(hub.mqttUrl(), "page-test", new MemoryPersistence());
        client.connect();
        try {
            // stamped by the hub's clock (15 min behind): the hub refuses readings from its future
            double now = System.currentTimeMillis() / 1000.0 - 15 * 60;
            client.publish("beeper/sensors/bme680/all", new MqttMessage(("{\"temperature\":31.7,\"humidity\":55.5,\"pressure\":1001.2,"
                    + "\"gas_resistance\":120000,\"iaq\":212,\"iaq_class\":\"Heavily polluted\",\"timestamp\":" + now + "}")
                    .getBytes(StandardCharsets.UTF_8)));
            client.publish("beeper/camera/csi/metadata", new MqttMessage(("{\"Lux\":12,\"timestamp\":" + now + "}").getBytes(StandardCharsets.UTF_8)));
        } finally {
            client.disconnect();
            client.close();
        }
        wait.until(d -> d.findElement(By.cssSelector("[data-metric=temperature] .number")).getText().equals("31.7"));
        wait.until(d -> d.findElement(By.cssSelector("[data-label=iaq]")).getText().equals("Heavily polluted"));
        wait.until(d -> d.findElement(By.cssSelector("[data-label=lights]")).getText().equals("lights off"));

        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertThat(errors).as("console errors").isEmpty();
    }

    @Test
    void oldValuesTurnGreyWithTheirAge() {
        browser.get("http://127.0.0.1:" + hub.webPort() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        WebElement card = browser.findElement(By.cssSelector("[data-metric=cpu_temperature]"));
        wait.until(d -> card.findElement(By.cssSelector(".number")).getText().matches("-?\\d+(\\.\\d+)?"));
        assertThat(card.getAttribute("class")).contains("stale");
        // the reading was taken 15 min behind at hub start; on a slow machine this test runs minutes later
        long expected = Duration.between(hubStarted.minus(Duration.ofMinutes(15)), Instant.now()).toMinutes();
        assertThat(card.findElement(By.cssSelector(".age")).getText()).matches("\\d+ min ago");
        assertThat(Long.parseLong(card.findElement(By.cssSelector(".age")).getText().split(" ")[0]))
                .isBetween(15L, expected + 1);
        assertThat(browser.executeScript("return getComputedStyle(arguments[0].querySelector('.number')).color", card))
                .isEqualTo("rgb(100, 116, 139)");
    }

    @Test
    void phoneWidthGivesOneColumn() {
        browser.get("http://127.0.0.1:" + hub.webPort() + "/");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        try {
            Object columns = browser.executeScript("return getComputedStyle(document.querySelector('#metrics')).gridTemplateColumns.split(' ').length");
            assertThat(((Number) columns).intValue()).isEqualTo(1);
        } finally {
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1000));
        }
    }
}

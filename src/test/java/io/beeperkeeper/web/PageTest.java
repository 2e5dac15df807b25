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

/**
 * The live page in real headless Chromium: cards fill with numbers and follow new readings, old values
 * turn grey (still readable), the light card follows the hub's lights_on with its hysteresis, and
 * temperatures show in the unit the visitor chose.
 */
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
        // lights count as on from 80 lux and go off below 20 (not the seed's 50)
        hub = TestHub.start(data, Map.of("sensors.intervalSeconds", "3600",
                        "history.lightsOnLux", "80", "history.lightsOffLux", "20"),
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
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));

        List<WebElement> cards = browser.findElements(By.cssSelector("#metrics .card"));
        assertThat(cards).hasSize(5);
        wait.until(d -> d.findElements(By.cssSelector("#metrics .card .number")).stream()
                .allMatch(n -> n.getText().matches("-?\\d+(\\.\\d+)?")));
        assertThat(browser.findElement(By.cssSelector("[data-label=iaq]")).getText()).isNotBlank();
        assertThat(browser.findElement(By.cssSelector("[data-label=lights]")).getText()).matches("lights (on|off)");

        // a colour check: the page's look is part of the product
        assertThat(browser.executeScript("return getComputedStyle(document.body).backgroundColor")).isEqualTo("rgb(15, 23, 42)");
        assertThat(browser.executeScript("return getComputedStyle(document.querySelector('.card')).borderTopColor")).isEqualTo("rgb(20, 184, 166)");
        // the hub's two test cameras, by their names, and no other box
        wait.until(d -> d.findElements(By.cssSelector("#cameras figure")).size() == 2);
        assertThat(browser.findElements(By.cssSelector("#cameras figure"))).extracting(e -> e.getAttribute("id"))
                .containsExactly("camera-csi", "camera-usb");
        assertThat(browser.findElement(By.cssSelector("#camera-csi figcaption")).getText()).startsWith("csi");
        assertThat(browser.findElement(By.cssSelector("#camera-usb figcaption")).getText()).startsWith("usb");

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
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        WebElement card = browser.findElement(By.cssSelector("[data-metric=cpu_temperature]"));
        wait.until(d -> card.findElement(By.cssSelector(".number")).getText().matches("-?\\d+(\\.\\d+)?"));
        assertThat(card.getAttribute("class")).contains("stale");
        // the reading was taken 15 min behind at hub start; on a slow machine this test runs minutes later
        long expected = Duration.between(hubStarted.minus(Duration.ofMinutes(15)), Instant.now()).toMinutes();
        assertThat(card.findElement(By.cssSelector(".age")).getText()).matches("\\d+ min ago");
        assertThat(Long.parseLong(card.findElement(By.cssSelector(".age")).getText().split(" ")[0]))
                .isBetween(15L, expected + 1);
        WebElement number = card.findElement(By.cssSelector(".number"));
        WebElement age = card.findElement(By.cssSelector(".age"));
        // grey, but readable: WCAG AA asks 4.5:1 for text
        assertThat(number.getCssValue("color")).as("not the page's text colour").isNotEqualTo("rgba(226, 232, 240, 1)");
        assertThat(Contrast.of(browser, number)).as("stale number contrast").isGreaterThanOrEqualTo(4.5);
        assertThat(Contrast.of(browser, age)).as("stale age contrast").isGreaterThanOrEqualTo(4.5);
        WebElement small = browser.findElement(By.cssSelector(".small-metrics [data-metric=cpu_percent]"));
        wait.until(d -> small.getAttribute("class").contains("stale"));
        assertThat(Contrast.of(browser, small.findElement(By.cssSelector(".number")))).isGreaterThanOrEqualTo(4.5);
        assertThat(Contrast.of(browser, small.findElement(By.cssSelector(".age")))).isGreaterThanOrEqualTo(4.5);
    }

    /** Now by the hub's clock (15 min behind), in epoch seconds: the hub refuses readings from its future. */
    static double hubNow() {
        return System.currentTimeMillis() / 1000.0 - 15 * 60;
    }

    static void publish(String topic, String payload) throws Exception {
        MqttClient client = new MqttClient(hub.mqttUrl(), "page-test-" + System.nanoTime(), new MemoryPersistence());
        client.connect();
        try {
            client.publish(topic, new MqttMessage(payload.getBytes(StandardCharsets.UTF_8)));
        } finally {
            client.disconnect();
            client.close();
        }
    }

    @Test
    void lightsFollowTheHubsHysteresis() throws Exception {
        browser.get("http://127.0.0.1:" + hub.webPort() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        // newer than every lux reading before (a reading older than the newest is ignored)
        double start = hubNow();
        // lux level -> what the card says: on from 80, off only below 20
        String[][] steps = {{"10", "off"}, {"60", "off"}, {"90", "on"}, {"40", "on"}, {"25", "on"}, {"10", "off"}};
        for (int i = 0; i < steps.length; i++) {
            String lux = steps[i][0];
            String label = "lights " + steps[i][1];
            publish("beeper/camera/csi/metadata", "{\"Lux\":" + lux + ",\"timestamp\":" + (start + i * 0.01) + "}");
            wait.until(d -> d.findElement(By.cssSelector("[data-metric=lux] .number")).getText().equals(lux)
                    && d.findElement(By.cssSelector("[data-label=lights]")).getText().equals(label));
        }
        // a new page learns the state from the hub's latest values
        browser.navigate().refresh();
        wait.until(d -> d.findElement(By.cssSelector("[data-label=lights]")).getText().equals("lights off"));
    }

    @Test
    void temperaturesShowInTheChosenUnitWhileTheHubKeepsCelsius() throws Exception {
        browser.get("http://127.0.0.1:" + hub.webPort() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        try {
            new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("temperature-unit"))).selectByValue("F");
            publish("beeper/sensors/bme680/all", "{\"temperature\":20.0,\"humidity\":50,\"pressure\":1000,\"gas_resistance\":100000,"
                    + "\"iaq\":50,\"iaq_class\":\"Good\",\"timestamp\":" + hubNow() + "}");
            wait.until(d -> d.findElement(By.cssSelector("[data-metric=temperature] .number")).getText().equals("68.0"));
            assertThat(browser.findElement(By.cssSelector("[data-metric=temperature] .unit")).getText()).isEqualTo("°F");
            assertThat(browser.findElement(By.cssSelector("[data-metric=cpu_temperature] .unit")).getText()).isEqualTo("°F");
            assertThat(browser.findElement(By.cssSelector("[data-metric=humidity] .number")).getText()).isEqualTo("50.0");
            wait.until(d -> d.findElement(By.cssSelector("#history-temperature h3")).getText().equals("Temperature (°F)"));

            // remembered in this browser
            browser.navigate().refresh();
            wait.until(d -> d.findElement(By.cssSelector("[data-metric=temperature] .number")).getText().equals("68.0"));
            assertThat(browser.findElement(By.id("temperature-unit")).getAttribute("value")).isEqualTo("F");

            // the hub's values stay in SI units
            java.net.http.HttpResponse<String> latest = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + hub.webPort() + "/api/metrics/latest")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            com.fasterxml.jackson.databind.JsonNode t = new com.fasterxml.jackson.databind.ObjectMapper().readTree(latest.body()).path("temperature");
            assertThat(t.path("value").asDouble()).isEqualTo(20.0);
            assertThat(t.path("unit").asText()).isEqualTo("°C");

            new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("temperature-unit"))).selectByValue("C");
            wait.until(d -> d.findElement(By.cssSelector("[data-metric=temperature] .number")).getText().equals("20.0"));
            assertThat(browser.findElement(By.cssSelector("[data-metric=temperature] .unit")).getText()).isEqualTo("°C");
        } finally {
            browser.executeScript("localStorage.clear()");
        }
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

    /** The hub runs simulated sensors here: their values carry a badge, a measured value does not. */
    @Test
    void simulatedValuesCarryABadge() throws Exception {
        browser.get("http://127.0.0.1:" + hub.webPort() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        WebElement cpu = browser.findElement(By.cssSelector("[data-metric=cpu_temperature]"));
        wait.until(d -> !cpu.findElements(By.cssSelector(".sim-badge")).isEmpty()
                && cpu.findElement(By.cssSelector(".sim-badge")).isDisplayed());
        assertThat(cpu.findElement(By.cssSelector(".sim-badge")).getText()).isEqualTo("simulated");
        assertThat(cpu.getAttribute("class")).contains("simulated");
        MqttClient client = new MqttClient(hub.mqttUrl(), "page-test-measured", new MemoryPersistence());
        client.connect();
        try {
            double now = System.currentTimeMillis() / 1000.0 - 15 * 60 + 1; // the hub's clock
            client.publish("beeper/sensors/cpu/temperature", new MqttMessage(("{\"temperature\":47.3,\"timestamp\":" + now + "}")
                    .getBytes(StandardCharsets.UTF_8)));
        } finally {
            client.disconnect();
            client.close();
        }
        wait.until(d -> cpu.findElement(By.cssSelector(".number")).getText().equals("47.3"));
        assertThat(cpu.findElement(By.cssSelector(".sim-badge")).isDisplayed()).isFalse();
    }
}

package io.beeperkeeper.web.history;

import io.beeperkeeper.history.HistoryStore;
import io.beeperkeeper.config.HistoryConfig;

import io.beeperkeeper.web.Browser;
import io.beeperkeeper.metric.MetricSample;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The history charts in real headless Chromium, fed by a real store over HTTP: five uPlot charts
 * with data, the lights-on shading on the light chart, range buttons, and no console errors.
 */
class HistoryPageTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path dir;
    HistoryStore store;
    Javalin app;
    ChromeDriver driver;

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (app != null) {
            app.stop();
        }
        if (store != null) {
            store.close();
        }
    }

    @Test
    void drawsTheEnvironmentChartsWithLightsShaded() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "chromium and chromium-driver are not installed");
        Clock clock = Clock.systemUTC();
        store = HistoryStore.open(dir.resolve("beeper.db"), new HistoryConfig(14, 180, 0, 1, 10, 20_000, 50, 30, "UTC", HistoryConfig.Influx.defaults()), clock);
        Instant now = clock.instant();
        for (int i = 0; i < 8640; i++) { // a day at 10 s
            Instant t = now.minusSeconds(86400 - 10L * i);
            double hour = (i / 360.0);
            store.onSample(new MetricSample("coop", "temperature", 15 + 5 * Math.sin(hour / 24 * 2 * Math.PI), "°C", t, null));
            store.onSample(new MetricSample("coop", "humidity", 60, "%", t, null));
            store.onSample(new MetricSample("coop", "iaq", 80, "", t, "Good"));
            store.onSample(new MetricSample("coop", "lux", hour >= 6 && hour < 18 ? 400 : 3, "lx", t, null));
            store.onSample(new MetricSample("coop", "audio_level_db", -50, "dB", t, null));
        }
        store.flush(Duration.ofSeconds(60));

        app = Javalin.create(c -> {
            c.staticFiles.add("/web", Location.CLASSPATH);
            new HistoryWeb(store, clock).register(c.routes);
            // The hub always serves its alert history beside the charts; this page has no alert yet.
            c.routes.get("/api/alerts/history", ctx -> ctx.json(java.util.Map.of("alerts", List.of())));
            c.routes.get("/history-test.html", ctx -> ctx.html("<!doctype html><html><head><meta charset=utf-8><link rel=\"icon\" href=\"data:,\"><title>t</title></head>"
                    + "<body style=\"background:#0f172a\"><section id=\"history\"></section>"
                    + "<script type=\"module\" src=\"js/history.js\"></script></body></html>"));
        }).start("127.0.0.1", 0);

        driver = Browser.start("--window-size=1280,1400", "--user-data-dir=" + dir.resolve("chrome"));
        driver.get("http://127.0.0.1:" + app.port() + "/history-test.html");

        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
        wait.until(d -> d.findElements(By.cssSelector("#history .history-note")).stream()
                .filter(e -> e.getText().contains("points")).count() == 5);
        assertThat(driver.findElements(By.cssSelector("#history canvas"))).hasSize(5);
        assertThat(driver.findElement(By.cssSelector("#history-lux .history-note")).getText()).contains("shaded: lights on");
        // The shading is painted: the light chart's canvas holds the lights-on fill colour somewhere.
        Object shaded = ((JavascriptExecutor) driver).executeScript(
                "const c = document.querySelector('#history-lux canvas'); const g = c.getContext('2d');"
                        + "const d = g.getImageData(0, 0, c.width, c.height).data; let n = 0;"
                        + "for (let i = 0; i < d.length; i += 4) { if (d[i] > 20 && d[i+1] > 20 && d[i+2] < 30 && d[i] > d[i+2] + 10) n++; } return n;");
        assertThat(((Number) shaded).longValue()).isGreaterThan(1000);

        List<WebElement> buttons = driver.findElements(By.cssSelector("#history .history-ranges button"));
        assertThat(buttons).extracting(WebElement::getText).containsExactly("24 h", "7 d", "30 d", "1 y");
        buttons.get(2).click();
        wait.until(d -> "true".equals(d.findElements(By.cssSelector("#history .history-ranges button")).get(2).getAttribute("aria-pressed")));
        wait.until(d -> d.findElement(By.cssSelector("#history-temperature .history-note")).getText().contains("1h rollups")
                || d.findElement(By.cssSelector("#history-temperature .history-note")).getText().contains("1m rollups"));

        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), Path.of("target", "history-page.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).toList();
        assertThat(errors).as("console errors").isEmpty();
    }
}

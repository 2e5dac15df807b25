package io.beeperkeeper.web.recordings;

import io.beeperkeeper.App;
import io.beeperkeeper.TestHub;
import io.beeperkeeper.web.HeadlessChromium;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Clips section in headless Chromium on a whole hub with a live test camera: the camera's
 * Record button records a clip (the pre-roll and the button's 30 s would be long for a test, so the
 * hub's longest clip is cut to 5 s: the click's event is then several parts), the clips appear with
 * their thumbnails, one plays in the section's player on a click, each has a download link, the
 * kind filter hides them, and the console stays clean.
 */
class ClipsPageTest {
    @TempDir
    Path data;

    @Test
    void recordsAClipFromTheButtonAndPlaysIt() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")) && Files.isExecutable(Path.of("/usr/bin/chromedriver")),
                "chromium and chromium-driver are not installed");
        String yaml = "cameras:\n  coop:\n    source: test\n    width: 320\n    height: 240\n    fps: 10\n    keyframeSeconds: 1\n";
        try (App hub = TestHub.start(data, yaml, Map.of("recordings.enabled", "true", "recordings.preRollSeconds", "2",
                "recordings.maxClipSeconds", "5", "recordings.minFreeBytes", "0", "sensors.intervalSeconds", "3600"), Clock.systemUTC());
             HeadlessChromium chromium = new HeadlessChromium(Map.of())) {
            String base = "http://127.0.0.1:" + hub.webPort() + "/";
            ChromeDriver page = chromium.driver();
            JavascriptExecutor js = page;
            page.get(base);
            WebElement button = await("the record button").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> page.findElements(By.cssSelector("#clips .clips-record-button[data-camera=coop]")), l -> !l.isEmpty()).get(0);
            // the buttons come with the cameras, the note once the first list of clips is read
            await("the empty list's note").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> page.findElement(By.cssSelector("#clips .clips-note")).getText(), t -> t.contains("No clip yet"));
            // wait until the camera is live so the click has a pre-roll
            await("the camera is live").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> (String) js.executeScript("return fetch('api/health').then(r => r.json())"
                            + ".then(h => h.components.recordings.detail)"), d -> d != null && d.matches(".*coop: pre-roll [2-9]\\.\\d s.*"));
            button.click();
            await("the click is taken").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> page.findElement(By.cssSelector("#clips .clips-note")).getText().startsWith("Recording coop"));
            List<WebElement> items = await("the first part is listed").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> page.findElements(By.cssSelector("#clips .clips-item")), l -> !l.isEmpty());
            WebElement item = items.get(items.size() - 1); // the oldest: part 1, with the pre-roll
            String id = item.getAttribute("data-id");
            assertThat(id).startsWith("coop-").endsWith("-1");
            assertThat(item.getAttribute("data-kind")).isEqualTo("manual");
            assertThat(item.getText()).contains("coop").contains("Recorded");
            assertThat(item.findElement(By.cssSelector(".clips-download")).getAttribute("download")).isEqualTo(id + ".mp4");
            assertThat(item.findElement(By.cssSelector(".clips-download")).getAttribute("href")).endsWith("api/clips/" + id + ".mp4");
            // the thumbnails load lazily, as a keeper scrolls to them
            await("its thumbnail shows").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> ((Number) js.executeScript("const i = document.querySelector(\"#clips .clips-item[data-id='" + id
                            + "'] img\"); if (i) i.scrollIntoView(); return i && i.complete ? i.naturalWidth : 0;")).intValue() == 320);

            item.findElement(By.cssSelector(".clips-play")).click();
            await("the clip plays").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> (List<?>) js.executeScript("const v = document.querySelector('#clips .clips-player video');"
                                    + "return [v.currentSrc, v.currentTime, v.readyState, v.videoWidth, v.duration];"),
                            v -> ((String) v.get(0)).endsWith("api/clips/" + id + ".mp4") && ((Number) v.get(1)).doubleValue() > 0.2
                                    && ((Number) v.get(2)).intValue() >= 2 && ((Number) v.get(3)).intValue() == 320
                                    && ((Number) v.get(4)).doubleValue() > 2 && ((Number) v.get(4)).doubleValue() <= 5.2);
            assertThat(page.findElement(By.cssSelector("#clips .clips-item.playing")).getAttribute("data-id")).isEqualTo(id);
            assertThat(page.findElement(By.cssSelector("#clips .clips-caption")).getText()).startsWith("coop,");

            new Select(page.findElement(By.cssSelector("#clips .clips-kind"))).selectByValue("motion");
            await("the kind filter").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> page.findElements(By.cssSelector("#clips .clips-item")).isEmpty());
            new Select(page.findElement(By.cssSelector("#clips .clips-kind"))).selectByValue("manual");
            await("the manual clips again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> !page.findElements(By.cssSelector("#clips .clips-item[data-id='" + id + "']")).isEmpty());

            Files.copy(((TakesScreenshot) page).getScreenshotAs(OutputType.FILE).toPath(), Path.of("target", "clips-page.png"),
                    StandardCopyOption.REPLACE_EXISTING);
            assertThat(chromium.consoleErrors()).as("console errors").isEmpty();
        }
    }
}

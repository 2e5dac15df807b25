package io.beeperkeeper.web.timelapse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.App;
import io.beeperkeeper.TestHub;
import io.beeperkeeper.media.h264.AccessUnit;
import io.beeperkeeper.timelapse.KeyframeStore;
import io.beeperkeeper.timelapse.MovieProbe;
import io.beeperkeeper.timelapse.RecordedKeyframes;
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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The time-lapse section of the page in headless Chromium on a whole hub: a camera with a day kept
 * yesterday (written into the data folder before the hub starts) and a keyframe kept every second
 * today. "Yesterday in a minute" plays yesterday's movie, the list shows both days, a click plays today's movie so far, each can be downloaded (Range
 * requests answered), today's movie is all-intra at 30 fps with one frame per kept keyframe (ffprobe),
 * a camera with nothing kept shows the empty state, and the console stays clean.
 */
class TimelapsePageTest {
    @TempDir
    Path data;

    @Test
    void showsYesterdayInAMinuteAndTheDaysAndPlaysThem() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")) && Files.isExecutable(Path.of("/usr/bin/chromedriver")),
                "chromium and chromium-driver are not installed");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate yesterday = today.minusDays(1);
        List<AccessUnit> kept = RecordedKeyframes.record(data, 320, 240, 45);
        try (KeyframeStore store = new KeyframeStore(data.resolve("timelapse"), ZoneOffset.UTC, 30)) {
            for (int i = 0; i < kept.size(); i++) {
                AccessUnit au = kept.get(i);
                store.append("coop", au.sps(), au.pps(), au.nals(), yesterday.atTime(12, 0).toInstant(ZoneOffset.UTC).plusSeconds(30L * i));
            }
        }
        String yaml = "cameras:\n  coop:\n    source: test\n    width: 320\n    height: 240\n    fps: 10\n    keyframeSeconds: 1\n"
                + "  barn:\n    source: rtsp\n    url: rtsp://127.0.0.1:9/nothing-here\n";
        try (App hub = TestHub.start(data, yaml, Map.of("timelapse.intervalSeconds", "1", "history.timeZone", "UTC",
                "sensors.intervalSeconds", "3600"), Clock.systemUTC());
             HeadlessChromium chromium = new HeadlessChromium(Map.of())) {
            String base = "http://127.0.0.1:" + hub.webPort() + "/";
            HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            ObjectMapper json = new ObjectMapper();
            // a few keyframes today before the page loads, so its first look already lists today
            JsonNode coop = await("keyframes kept today").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> camera(json.readTree(get(http, base + "api/timelapse").body()), "coop"),
                            c -> c.path("days").size() == 2 && c.path("days").path(0).path("frames").asInt() >= 3);
            assertThat(coop.path("yesterday").path("file").asText()).isEqualTo(yesterday + ".mp4");
            assertThat(coop.path("yesterday").path("frames").asInt()).isEqualTo(45);

            ChromeDriver page = chromium.driver();
            JavascriptExecutor js = page;
            page.get(base);
            await("the time-lapse section").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> page.findElements(By.cssSelector("#timelapse-coop .timelapse-day")).size() == 2);
            WebElement coopBox = page.findElement(By.id("timelapse-coop"));
            assertThat(coopBox.findElement(By.cssSelector(".timelapse-caption")).getText()).startsWith("Yesterday in a minute").contains("45 frames");
            assertThat(coopBox.findElement(By.tagName("video")).getAttribute("data-src")).isEqualTo("api/timelapse/coop/yesterday.mp4");
            List<WebElement> days = coopBox.findElements(By.cssSelector(".timelapse-day"));
            assertThat(days.get(0).getAttribute("data-day")).isEqualTo(today.toString());
            assertThat(days.get(0).getText()).contains("today");
            assertThat(days.get(1).getAttribute("data-day")).isEqualTo(yesterday.toString());
            assertThat(days.get(1).findElement(By.cssSelector(".timelapse-download")).getAttribute("download"))
                    .isEqualTo("coop-" + yesterday + ".mp4");

            // yesterday's movie: 45 frames, 1.5 s at 30 fps
            js.executeScript("document.querySelector('#timelapse-coop video').play()");
            await("yesterday's movie plays").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> (List<?>) js.executeScript("const v = document.querySelector('#timelapse-coop video');"
                                    + "return [v.currentTime, v.readyState, v.videoWidth, v.duration];"),
                            v -> ((Number) v.get(0)).doubleValue() > 0.2 && ((Number) v.get(1)).intValue() >= 2
                                    && ((Number) v.get(2)).intValue() == 320 && Math.abs(((Number) v.get(3)).doubleValue() - 1.5) < 0.01);

            days.get(0).findElement(By.cssSelector(".timelapse-play")).click();
            await("today's movie plays on a click").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> (List<?>) js.executeScript("const v = document.querySelector('#timelapse-coop video');"
                                    + "return [v.currentSrc, v.currentTime, v.readyState, v.videoWidth];"),
                            v -> ((String) v.get(0)).endsWith("/api/timelapse/coop/" + today + ".mp4") && ((Number) v.get(1)).doubleValue() > 0
                                    && ((Number) v.get(2)).intValue() >= 2 && ((Number) v.get(3)).intValue() == 320);
            assertThat(page.findElement(By.cssSelector("#timelapse-coop .timelapse-day.playing")).getAttribute("data-day"))
                    .isEqualTo(today.toString());

            WebElement barn = page.findElement(By.id("timelapse-barn"));
            assertThat(barn.findElement(By.cssSelector(".timelapse-empty")).getText()).contains("No keyframe kept yet").contains("every 1 s");
            assertThat(barn.findElements(By.cssSelector(".timelapse-day"))).isEmpty();

            // what the page's links get: yesterday.mp4 names the day's movie; a day answers Range requests
            HttpResponse<String> redirect = get(http, base + "api/timelapse/coop/yesterday.mp4");
            assertThat(redirect.statusCode()).isEqualTo(302);
            assertThat(redirect.headers().firstValue("Location")).contains(yesterday + ".mp4");
            HttpResponse<byte[]> range = http.send(HttpRequest.newBuilder(URI.create(base + "api/timelapse/coop/" + yesterday + ".mp4"))
                    .header("Range", "bytes=0-99").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(range.statusCode()).isEqualTo(206);
            assertThat(range.body()).hasSize(100);
            byte[] whole = http.send(HttpRequest.newBuilder(URI.create(base + "api/timelapse/coop/" + yesterday + ".mp4")).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
            HttpResponse<byte[]> tail = http.send(HttpRequest.newBuilder(URI.create(base + "api/timelapse/coop/" + yesterday + ".mp4"))
                    .header("Range", "bytes=" + (whole.length - 5000) + "-").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(tail.statusCode()).isEqualTo(206);
            assertThat(tail.body()).as("a range from the kept keyframes").isEqualTo(java.util.Arrays.copyOfRange(whole, whole.length - 5000, whole.length));
            assertThat(range.body()).isEqualTo(java.util.Arrays.copyOf(whole, 100));

            // today's movie holds every keyframe kept when it is asked for: between the counts listed before and after
            Path movie = data.resolve("today.mp4");
            int before = todayFrames(http, json, base);
            HttpResponse<Path> download = http.send(HttpRequest.newBuilder(URI.create(base + "api/timelapse/coop/" + today + ".mp4")).build(),
                    HttpResponse.BodyHandlers.ofFile(movie));
            int after = todayFrames(http, json, base);
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(before).isGreaterThanOrEqualTo(3);
            io.beeperkeeper.media.Ffmpeg.Result count = io.beeperkeeper.media.Ffmpeg.run("ffprobe", "-v", "error", "-select_streams", "v:0",
                    "-count_packets", "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", movie.toString());
            int frames = Integer.parseInt(count.stdout().trim());
            assertThat(frames).as("keyframes in today's movie").isBetween(before, after);
            MovieProbe.assertMovie(movie, frames, 30, 320, 240);

            Files.copy(((TakesScreenshot) page).getScreenshotAs(OutputType.FILE).toPath(), Path.of("target", "timelapse-page.png"),
                    StandardCopyOption.REPLACE_EXISTING);
            assertThat(chromium.consoleErrors()).as("console errors").isEmpty();
        }
    }

    private static JsonNode camera(JsonNode list, String name) {
        for (JsonNode c : list.path("cameras")) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static int todayFrames(HttpClient http, ObjectMapper json, String base) throws Exception {
        return camera(json.readTree(get(http, base + "api/timelapse").body()), "coop").path("days").path(0).path("frames").asInt();
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}

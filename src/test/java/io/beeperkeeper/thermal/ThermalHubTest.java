package io.beeperkeeper.thermal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.App;
import io.beeperkeeper.TestHub;
import io.beeperkeeper.timelapse.MovieProbe;
import io.beeperkeeper.web.HeadlessChromium;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The thermal governor on a whole hub, driven by a fake thermal zone and a fake throttle file: a hot
 * CPU steps the software-encoded test camera down (half the frame rate, then half the size: the
 * relay's frame rate and SPS size show it), the page's badge says so and the MSE player goes on at the
 * new size without a console error, {@code /metrics} counts each step; once cool it steps back up
 * after the hysteresis and the dwell; the firmware's throttle flag alone also steps it down. The
 * Pi-camera (rpicam) camera is never touched. The time-lapse starts another part of the day at each
 * new picture size.
 */
class ThermalHubTest {
    private static final Pattern FRAMES = Pattern.compile("beeper_camera_frames_relayed_total\\{camera=\"coop\"} ([0-9.E]+)");

    @TempDir
    Path data;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private String base;

    @Test
    void aHotCpuStepsTheSoftwareCameraDownAndACoolOneBackUp() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")) && Files.isExecutable(Path.of("/usr/bin/chromedriver")),
                "chromium and chromium-driver are not installed");
        Path zone = Files.writeString(data.resolve("temp"), "50000\n");
        Path throttle = Files.writeString(data.resolve("get_throttled"), "throttled=0x0\n");
        String yaml = "cameras:\n  coop:\n    source: test\n    width: 320\n    height: 240\n    fps: 10\n    keyframeSeconds: 1\n"
                + "  pi:\n    source: rpicam\n";
        Map<String, String> settings = Map.of("thermal.enabled", "true", "thermal.thermalZone", zone.toString(),
                "thermal.throttleFile", throttle.toString(), "thermal.dwellSeconds", "3", "thermal.intervalSeconds", "0.5",
                "timelapse.intervalSeconds", "1", "sensors.intervalSeconds", "3600");
        try (App hub = TestHub.start(data, yaml, settings, Clock.systemUTC());
             HeadlessChromium chromium = new HeadlessChromium(Map.of())) {
            base = "http://127.0.0.1:" + hub.webPort() + "/";
            await("coop live at full rate").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> coop().path("state").asText().equals("live") && coop().path("video").path("width").asInt() == 320);
            assertThat(framesPerSecond()).as("full frame rate").isGreaterThan(7);
            assertThat(health()).contains("full", "50.0 °C", "cameras coop", "left alone: pi (rpicam)");

            JavascriptExecutor page = chromium.driver();
            chromium.driver().get(base + "?protocol=mse");
            awaitPlaying(page, 320);
            assertThat(badge(page)).isEmpty();

            Files.writeString(zone, "69000\n"); // at or above 68 - 1 degC
            await("half the frame rate").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> coop().path("lowered").path("fps").asInt() == 5);
            assertThat(steps("down")).isGreaterThanOrEqualTo(1);
            await("half the size after the dwell").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> coop().path("state").asText().equals("live") && coop().path("video").path("width").asInt() == 160);
            assertThat(coop().path("video").path("height").asInt()).as("the SPS's size").isEqualTo(120);
            assertThat(coop().path("video").path("fps").asDouble()).as("the SPS's frame rate").isEqualTo(5.0);
            assertThat(coop().path("lowered").path("width").asInt()).isEqualTo(160);
            await("the relay runs at half the rate").atMost(Duration.ofSeconds(60)).until(() -> framesPerSecond() < 6.5);
            assertThat(steps("down")).isEqualTo(2);
            assertThat(metric("beeper_thermal_level{camera=\"coop\"}")).isEqualTo(2);
            assertThat(health()).contains("half frame rate and size", "69.0 °C");
            await("the page's badge").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> badge(page).equals("🌡 5 fps 160×120"));
            awaitPlaying(page, 160);
            Files.copy(((TakesScreenshot) chromium.driver()).getScreenshotAs(OutputType.FILE).toPath(),
                    Path.of("target", "thermal-badge.png"), StandardCopyOption.REPLACE_EXISTING);

            Files.writeString(zone, "65000\n"); // below the step-down point, above 68 - 5: the level holds
            await("a reading between the thresholds").atMost(Duration.ofSeconds(30)).until(() -> health().contains("65.0 °C"));
            assertThat(framesPerSecond()).as("40 frames at 5 fps: longer than the dwell").isLessThan(6.5);
            assertThat(metric("beeper_thermal_level{camera=\"coop\"}")).as("hysteresis: no step up at 65 °C").isEqualTo(2);

            Files.writeString(zone, "60000\n");
            await("back to full after cooling").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> coop().path("lowered").isNull() && coop().path("video").path("width").asInt() == 320
                            && coop().path("state").asText().equals("live"));
            assertThat(steps("up")).isEqualTo(2);
            await("the relay back at the full rate").atMost(Duration.ofSeconds(60)).until(() -> framesPerSecond() > 7);
            await("the badge goes").atMost(Duration.ofSeconds(60)).until(() -> badge(page).isEmpty());
            awaitPlaying(page, 320);

            Files.writeString(throttle, "throttled=0x80008\n"); // the firmware at its soft temperature limit, however cool the zone reads
            await("throttled: a step down").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> coop().path("lowered").path("fps").asInt() == 5);
            assertThat(steps("down")).isEqualTo(3);

            JsonNode pi = camera("pi");
            assertThat(pi.path("lowered").isNull()).as("the rpicam camera is never lowered").isTrue();
            assertThat(scrape()).doesNotContain("beeper_thermal_steps_total{camera=\"pi\"");

            // each new picture size is another part of today's time-lapse; the small one plays as it was kept
            JsonNode movies = null;
            for (JsonNode c : json.readTree(get("api/timelapse")).path("cameras")) {
                if (c.path("name").asText().equals("coop")) {
                    movies = c.path("days").path(0).path("movies");
                }
            }
            assertThat(movies).isNotNull();
            List<Integer> widths = new ArrayList<>();
            movies.forEach(m -> widths.add(m.path("width").asInt()));
            assertThat(widths).contains(320, 160);
            for (JsonNode m : movies) {
                if (m.path("width").asInt() == 160) {
                    Path file = data.resolve("small.mp4");
                    http.send(HttpRequest.newBuilder(URI.create(base + m.path("url").asText().substring(1))).build(),
                            HttpResponse.BodyHandlers.ofFile(file));
                    MovieProbe.assertMovie(file, m.path("frames").asInt(), 30, 160, 120);
                }
            }

            assertThat(chromium.consoleErrors()).as("console errors").isEmpty();
        }
    }

    private void awaitPlaying(JavascriptExecutor page, int width) {
        double[] first = {-1};
        await("the page plays at width " + width).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    List<?> v = (List<?>) page.executeScript("const v = document.querySelector('#camera-coop video');"
                            + "return v ? [v.videoWidth, v.currentTime, v.readyState] : null;");
                    if (v == null || ((Number) v.get(0)).intValue() != width || ((Number) v.get(2)).intValue() < 2) {
                        first[0] = -1;
                        return false;
                    }
                    double t = ((Number) v.get(1)).doubleValue();
                    if (first[0] < 0) {
                        first[0] = t;
                    }
                    return t > first[0] + 1; // playing on: a second of video at this size
                });
    }

    private static String badge(JavascriptExecutor page) {
        Object text = page.executeScript("const b = document.querySelector('#camera-coop .camera-lowered');"
                + "return b && !b.hidden ? b.textContent : '';");
        return text == null ? "" : text.toString();
    }

    /** The relay's frame rate: the time it takes to pass on the next 40 frames. */
    private double framesPerSecond() throws Exception {
        double before = frames();
        long t0 = System.nanoTime();
        double[] after = {before};
        await("40 more frames").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> (after[0] = frames()) >= before + 40);
        return (after[0] - before) / ((System.nanoTime() - t0) / 1e9);
    }

    private double frames() throws Exception {
        Matcher m = FRAMES.matcher(scrape());
        assertThat(m.find()).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private double steps(String direction) throws Exception {
        return metric("beeper_thermal_steps_total{camera=\"coop\",direction=\"" + direction + "\"}");
    }

    private double metric(String series) throws Exception {
        for (String line : scrape().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        throw new AssertionError("no " + series + " in /metrics");
    }

    private String scrape() throws Exception {
        return get("metrics");
    }

    private String health() throws Exception {
        return json.readTree(get("api/health")).path("components").path("thermal").path("detail").asText();
    }

    private JsonNode coop() throws Exception {
        return camera("coop");
    }

    private JsonNode camera(String name) throws Exception {
        for (JsonNode c : json.readTree(get("api/cameras"))) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no camera " + name);
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }
}

package io.beeperkeeper.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.App;
import io.beeperkeeper.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page of a hub with cameras of its own names ({@code coop}, {@code run}) in real Chromium: the
 * boxes are exactly those cameras; the whole page (readings, video over WebRTC, MSE and LL-HLS,
 * chat, history) works behind a reverse proxy that serves the hub under a sub-path; it can be
 * installed on a phone's home screen (manifest, icons); the chat input and the videos have names.
 */
class PageSetupTest {
    static final String CAMERAS = """
            cameras:
              coop:
                source: test
                width: 160
                height: 120
                fps: 5
              run:
                source: test
                width: 160
                height: 120
                fps: 5
            """;
    @TempDir
    static Path data;
    static App hub;
    static String base;
    static ChromeDriver browser;
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.start(data, CAMERAS, Map.of(), Clock.systemUTC());
        base = "http://127.0.0.1:" + hub.webPort() + "/";
        browser = Browser.start("--allow-loopback-in-peer-connection");
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (hub != null) {
            hub.close();
        }
    }

    static List<String> boxes() {
        return browser.findElements(By.cssSelector("#cameras figure")).stream().map(e -> e.getAttribute("id")).toList();
    }

    /** Waits until the camera's video has played for a while (generous: a loaded 2-core machine is slow). */
    static void awaitPlaying(String camera) {
        new WebDriverWait(browser, Duration.ofSeconds(90)).until(d -> {
            Object t = browser.executeScript("const v = document.querySelector('#camera-' + arguments[0] + ' video');"
                    + "return v ? v.currentTime : 0;", camera);
            return ((Number) t).doubleValue() > 1;
        });
    }

    static List<String> consoleErrors() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(e -> e.getMessage()).toList();
    }

    @Test
    void theBoxesAreExactlyTheHubsCamerasWithNamedVideos() {
        browser.get(base);
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> boxes().size() == 2);
        assertThat(boxes()).containsExactly("camera-coop", "camera-run");
        assertThat(browser.findElement(By.cssSelector("#camera-coop figcaption")).getText()).startsWith("coop");
        assertThat(browser.findElement(By.cssSelector("#camera-run figcaption")).getText()).startsWith("run");
        assertThat(browser.findElement(By.id("cameras")).getText()).doesNotContain("offline");
        awaitPlaying("coop");
        awaitPlaying("run");
        assertThat(boxes()).as("no box appears for a camera the hub does not have").containsExactly("camera-coop", "camera-run");

        // accessible names (what a screen reader announces)
        assertThat(browser.findElement(By.cssSelector("#camera-coop video")).getAccessibleName()).isEqualTo("Live video from camera coop");
        assertThat(browser.findElement(By.cssSelector("#camera-run video")).getAccessibleName()).isEqualTo("Live video from camera run");
        assertThat(browser.findElement(By.cssSelector("#chat input.chat-input")).getAccessibleName()).isEqualTo("Chat message");
        assertThat(browser.findElement(By.id("temperature-unit")).getAccessibleName()).startsWith("Temperature in");
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void theWholePageWorksBehindASubPathReverseProxy() throws Exception {
        try (PathPrefixProxy proxy = new PathPrefixProxy("/coop-cam", hub.webPort())) {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
            browser.get(proxy.url());
            // readings over SSE
            wait.until(d -> d.findElement(By.cssSelector("[data-metric=temperature] .number")).getText().matches("-?\\d+\\.\\d"));
            wait.until(d -> d.findElement(By.id("connection")).getText().equals("live"));
            // video: WebRTC (WHEP offer through the proxy), then MSE over a WebSocket, then LL-HLS
            awaitPlaying("coop");
            awaitPlaying("run");
            assertThat(browser.executeScript("return document.querySelector('#camera-coop video').dataset.protocol")).isEqualTo("webrtc");
            assertThat(proxy.requests()).contains(new PathPrefixProxy.Request("POST", "/coop-cam/api/cameras/coop/whep"));
            // chat through the proxy
            WebElement input = browser.findElement(By.cssSelector("#chat input.chat-input"));
            input.sendKeys("through the proxy", Keys.ENTER);
            wait.until(d -> d.findElements(By.cssSelector("#chat .chat-text")).stream().anyMatch(e -> e.getText().equals("through the proxy")));
            // history charts from the store
            wait.until(d -> !d.findElements(By.cssSelector("#history-temperature .history-note")).isEmpty()
                    && !d.findElement(By.cssSelector("#history-temperature .history-note")).getText().isEmpty());
            assertThat(browser.findElement(By.cssSelector("#history-temperature .history-note")).getText()).doesNotStartWith("No history");

            browser.get(proxy.url() + "?protocol=mse");
            awaitPlaying("coop");
            assertThat(browser.executeScript("return document.querySelector('#camera-coop video').dataset.mime")).asString().startsWith("video/mp4");
            assertThat(proxy.requests()).anySatisfy(r -> assertThat(r.path()).startsWith("/coop-cam/api/cameras/coop/ws"));
            // the WebRTC sessions of the page before were ended (DELETE at the WHEP Location, through the proxy)
            assertThat(proxy.requests()).anySatisfy(r -> {
                assertThat(r.method()).isEqualTo("DELETE");
                assertThat(r.path()).startsWith("/coop-cam/api/cameras/coop/whep/");
            });

            browser.get(proxy.url() + "?protocol=hls");
            awaitPlaying("run");
            assertThat(proxy.requests()).anySatisfy(r -> assertThat(r.path()).startsWith("/coop-cam/api/cameras/run/index.m3u8"));

            // leave while the proxy still runs (the page's goodbye passes it too)
            browser.get("about:blank");
            assertThat(proxy.outsidePrefix()).as("requests that left the proxy's sub-path").isEmpty();
            assertThat(consoleErrors()).isEmpty();
        }
    }

    @Test
    void theAppCanBeInstalledOnAPhonesHomeScreen() throws Exception {
        browser.get(base);
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> boxes().size() == 2);
        String manifestHref = browser.findElement(By.cssSelector("link[rel=manifest]")).getAttribute("href");
        assertThat(browser.findElement(By.cssSelector("link[rel=manifest]")).getDomAttribute("href")).doesNotStartWith("/");
        HttpResponse<String> m = http.send(HttpRequest.newBuilder(URI.create(manifestHref)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(m.statusCode()).isEqualTo(200);
        JsonNode manifest = json.readTree(m.body());
        assertThat(manifest.path("name").asText()).isEqualTo("Beeper Keeper");
        assertThat(manifest.path("short_name").asText()).isNotBlank();
        assertThat(manifest.path("start_url").asText()).as("relative, so it works under a sub-path").doesNotStartWith("/").doesNotContain("://");
        assertThat(manifest.path("display").asText()).isEqualTo("standalone");
        assertThat(manifest.path("theme_color").asText()).isEqualToIgnoringCase("#14b8a6");
        assertThat(manifest.path("background_color").asText()).isEqualToIgnoringCase("#0f172a");
        assertThat(browser.findElement(By.cssSelector("meta[name=theme-color]")).getAttribute("content")).isEqualToIgnoringCase("#14b8a6");
        boolean big = false;
        for (JsonNode icon : manifest.path("icons")) {
            int[] size = pngSize(URI.create(manifestHref).resolve(icon.path("src").asText()));
            assertThat(icon.path("sizes").asText()).isEqualTo(size[0] + "x" + size[1]);
            big |= size[0] >= 512;
        }
        assertThat(big).as("a 512 px icon for the splash screen").isTrue();

        // Chromium's own verdict
        @SuppressWarnings("unchecked")
        Map<String, Object> parsed = (Map<String, Object>) browser.executeCdpCommand("Page.getAppManifest", Map.of());
        assertThat((List<?>) parsed.get("errors")).as("manifest errors").isEmpty();
        @SuppressWarnings("unchecked")
        Map<String, Object> installability = (Map<String, Object>) browser.executeCdpCommand("Page.getInstallabilityErrors", Map.of());
        assertThat((List<?>) installability.get("installabilityErrors")).as("installability errors").isEmpty();

        // the favicon and the home-screen icon of iPhones
        for (String selector : new String[]{"link[rel=icon]", "link[rel=apple-touch-icon]"}) {
            WebElement link = browser.findElement(By.cssSelector(selector));
            assertThat(link.getDomAttribute("href")).doesNotStartWith("/").doesNotStartWith("data:");
            pngSize(URI.create(link.getAttribute("href")));
        }
    }

    /** Fetches a PNG and returns its width and height (from the IHDR chunk). */
    static int[] pngSize(URI uri) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(uri.toString()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).as(uri.toString()).hasValueSatisfying(t -> assertThat(t).startsWith("image/png"));
        ByteBuffer b = ByteBuffer.wrap(r.body());
        assertThat(b.getLong(0)).as("PNG signature").isEqualTo(0x89504E470D0A1A0AL);
        return new int[]{b.getInt(16), b.getInt(20)};
    }
}

package io.beeperkeeper.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.App;
import io.beeperkeeper.TestHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * "Who's viewing" in real Chromium when a visitor leaves: navigating away or closing the tab takes
 * the visitor off the list at once, not when the tab ages out (and nothing the leaving page sends afterwards puts it back),
 * while hiding a tab only makes it "away" and showing it again makes it "viewing".
 */
class LeavingThePageTest {
    static final String ME = "local-127.0.0.1";
    @TempDir
    Path data;
    App hub;
    String base;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final ObjectMapper json = new ObjectMapper();
    HeadlessChromium chromium;
    ChromeDriver browser;

    @BeforeEach
    void start() {
        // a hub per test: every test starts with nobody on the list
        hub = TestHub.start(data, "cameras:\n  coop:\n    source: test\n    width: 160\n    height: 120\n    fps: 5\n",
                Map.of("sensors.intervalSeconds", "3600"), Clock.systemUTC());
        base = "http://127.0.0.1:" + hub.webPort() + "/";
        chromium = new HeadlessChromium(Map.of());
        browser = chromium.driver();
    }

    @AfterEach
    void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    /** "name:state" for everyone the hub lists. */
    List<String> viewers() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "api/active_users")).build(),
                HttpResponse.BodyHandlers.ofString());
        List<String> out = new ArrayList<>();
        for (JsonNode u : json.readTree(r.body()).path("users")) {
            out.add(u.path("name").asText() + ":" + u.path("state").asText());
        }
        return out;
    }

    void awaitViewing() {
        await().atMost(Duration.ofSeconds(60)).until(() -> viewers().equals(List.of(ME + ":viewing")));
    }

    /**
     * Gone, and nothing sent afterwards brings it back. The deadline is generous for a busy machine
     * and still half of {@link io.beeperkeeper.viewers.Presence#AWAY_WINDOW}, after which a silent tab
     * would age out even without saying goodbye.
     */
    void awaitGoneForGood() {
        await().atMost(Duration.ofSeconds(60)).until(() -> viewers().isEmpty());
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(60)).until(() -> viewers().isEmpty());
    }

    @Test
    void navigatingAwayRemovesTheViewerAtOnce() {
        browser.get(base);
        awaitViewing();
        browser.get(base + "api/health");
        awaitGoneForGood();
    }

    @Test
    void closingTheTabRemovesTheViewerAtOnce() {
        String first = browser.getWindowHandle();
        browser.get("about:blank");
        browser.switchTo().newWindow(WindowType.TAB);
        browser.get(base);
        awaitViewing();
        browser.close();
        browser.switchTo().window(first);
        awaitGoneForGood();
    }

    @Test
    void aHiddenTabIsAwayAndViewingAgainWhenShown() {
        browser.get(base);
        awaitViewing();
        String page = browser.getWindowHandle();
        // another tab in front hides the page (document.visibilityState "hidden")
        browser.switchTo().newWindow(WindowType.TAB);
        browser.get("about:blank");
        // before Presence.VIEWING_WINDOW (60 s), after which a silent tab would turn away by itself
        await().atMost(Duration.ofSeconds(45)).until(() -> viewers().equals(List.of(ME + ":away")));
        browser.switchTo().window(page);
        browser.executeCdpCommand("Page.bringToFront", Map.of());
        await().atMost(Duration.ofSeconds(60)).until(() -> "visible".equals(browser.executeScript("return document.visibilityState")));
        await().atMost(Duration.ofSeconds(60)).until(() -> viewers().equals(List.of(ME + ":viewing")));
        assertThat(chromium.consoleErrors()).isEmpty();
    }
}

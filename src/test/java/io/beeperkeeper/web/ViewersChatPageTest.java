package io.beeperkeeper.web;

import io.beeperkeeper.App;
import io.beeperkeeper.config.BeeperConfig;
import io.beeperkeeper.config.ConfigLoader;
import io.beeperkeeper.viewers.IdentityResolvers;
import io.beeperkeeper.viewers.TestAccessTeam;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.JavascriptExecutor;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The real hub in cloudflare-access mode against a test Access team, and two headless Chromiums that
 * play Cloudflare's edge by adding a signed Cf-Access-Jwt-Assertion (alice's, bob's) to every
 * request: they see each other in "Who's viewing", a message sent in one is pushed live into the
 * other's open page, and a hostile message shows as plain text. How fast it arrives is measured by
 * {@code bench.ChatLatencyBench}.
 */
class ViewersChatPageTest {
    @TempDir
    static Path dir;
    static TestAccessTeam team;
    static App hub;
    static String base;

    static BeeperConfig config(Path dataDir, String certsUrl, int rateLimit) {
        return new ConfigLoader().load(null, Map.of(), Map.ofEntries(
                Map.entry("web.host", "127.0.0.1"), Map.entry("web.port", "0"), Map.entry("mqtt.port", "0"),
                // other hubs may hold WebRTC's default port
                Map.entry("webrtc.udpHost", "127.0.0.1"), Map.entry("webrtc.udpPort", "0"), Map.entry("rtsp.enabled", "false"),
                // as TestHub: no motion decoder or pre-roll this test does not use
                Map.entry("motion.enabled", "false"), Map.entry("recordings.enabled", "false"),
                Map.entry("data.dir", dataDir.toString()),
                Map.entry("sensors.mode", "simulated"),
                Map.entry("viewers.identity", "cloudflare-access"),
                Map.entry("viewers.cloudflare.teamDomain", TestAccessTeam.TEAM),
                Map.entry("viewers.cloudflare.audience", TestAccessTeam.AUDIENCE),
                Map.entry("viewers.cloudflare.certsUrl", certsUrl),
                Map.entry("chat.rateLimitMessages", Integer.toString(rateLimit))));
    }

    /** Two Chromiums and the hub on a busy 2-core machine: wait for what they show this long at most. */
    static final Duration LOADED_MACHINE = Duration.ofSeconds(60);

    /** Counts, in the page, each fetch of the chat's message list from now on. */
    static void countChatFetches(HeadlessChromium browser) {
        ((JavascriptExecutor) browser.driver()).executeScript("""
                window.__chatFetches = 0;
                const real = window.fetch;
                window.fetch = function (resource, init) {
                  if (String(resource).includes('api/chat/messages')) { window.__chatFetches++; }
                  return real.apply(this, arguments);
                };
                """);
    }

    static long chatFetches(HeadlessChromium browser) {
        return ((Number) ((JavascriptExecutor) browser.driver()).executeScript("return window.__chatFetches;")).longValue();
    }

    @BeforeAll
    static void startHub() throws Exception {
        team = new TestAccessTeam();
        hub = new App(config(dir.resolve("data"), team.certsUrl(), 5), Clock.systemUTC()).start();
        base = "http://127.0.0.1:" + hub.webPort() + "/";
    }

    @AfterAll
    static void stopHub() {
        if (hub != null) {
            hub.close();
        }
        if (team != null) {
            team.close();
        }
    }

    @Test
    void twoSignedInVisitorsSeeEachOtherAndChatAsText() throws Exception {
        try (TwoVisitors v = new TwoVisitors(
                Map.of(IdentityResolvers.ACCESS_HEADER, team.token("alice@example.com")),
                Map.of(IdentityResolvers.ACCESS_HEADER, team.token("bob@example.com")))) {
            v.open(base);
            TwoVisitors.waitForViewers(v.alice, LOADED_MACHINE, "alice", "bob");
            TwoVisitors.waitForViewers(v.bob, LOADED_MACHINE, "alice", "bob");
            TwoVisitors.watchChat(v.alice);
            TwoVisitors.watchChat(v.bob);
            countChatFetches(v.bob);

            // How fast it arrives is a figure printed by bench/ChatLatencyBench; here: it arrives, pushed
            // live into the open page (no reload, no fetch of the message list, so not the polling fallback).
            long sent = TwoVisitors.typeAndEnter(v.alice, "Hello from the coop 🐔");
            await().atMost(LOADED_MACHINE).pollInterval(Duration.ofMillis(100))
                    .until(() -> TwoVisitors.shownAt(v.bob, "Hello from the coop 🐔") > 0);
            assertThat(TwoVisitors.shownAt(v.bob, "Hello from the coop 🐔")).isGreaterThanOrEqualTo(sent);
            assertThat(chatFetches(v.bob)).as("bob's page fetched no message list: the message was pushed").isZero();
            assertThat(v.alice.driver().findElement(By.cssSelector("#chat input.chat-input")).getAttribute("value"))
                    .as("the input is cleared after sending").isEmpty();

            String hostile = "<img src=x onerror=alert(1)>";
            TwoVisitors.typeAndEnter(v.bob, hostile);
            await().atMost(LOADED_MACHINE).pollInterval(Duration.ofMillis(100)).until(() -> TwoVisitors.shownAt(v.alice, hostile) > 0);
            var last = v.alice.driver().findElements(By.cssSelector("#chat .chat-message"));
            assertThat(last.get(last.size() - 1).findElement(By.cssSelector(".chat-user")).getText()).isEqualTo("bob");
            assertThat(last.get(last.size() - 1).findElement(By.cssSelector(".chat-text")).getText()).isEqualTo(hostile);
            assertThat(v.alice.driver().findElements(By.cssSelector("#chat img"))).isEmpty();
            // Time deliberately passes here: an image that had been rendered from the message would fire
            // its onerror (the alert) shortly after; for a while, no browser shows one.
            await().during(Duration.ofMillis(500)).atMost(LOADED_MACHINE).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                for (HeadlessChromium b : new HeadlessChromium[]{v.alice, v.bob}) {
                    assertThatThrownBy(() -> b.driver().switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
                }
            });
            for (HeadlessChromium b : new HeadlessChromium[]{v.alice, v.bob}) {
                assertThat(b.consoleErrors()).isEmpty();
            }
        }
    }

    @Test
    void withoutATokenThePageIsASignInNoticeAndTheApiSays401() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(401);
        assertThat(page.body()).contains("Sign-in required");
        HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(base + "api/chat/messages")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(api.headers().firstValue("Content-Security-Policy")).isPresent();
    }

    @Test
    void theSignedInPageAndItsScriptsCarryTheSecurityHeaders() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String token = team.token("carol@example.com");
        for (String path : new String[]{"", "app.js", "js/chat.js", "api/active_users"}) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header(IdentityResolvers.ACCESS_HEADER, token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(path)
                    .hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self';"));
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).as(path).isEmpty();
        }
    }
}

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
import org.openqa.selenium.support.ui.WebDriverWait;

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

/**
 * The real hub in cloudflare-access mode against a test Access team, and two headless Chromiums that
 * play Cloudflare's edge by adding a signed Cf-Access-Jwt-Assertion (alice's, bob's) to every
 * request: they see each other in "Who's viewing", exchange messages within a second, and a hostile
 * message shows as plain text.
 */
class ViewersChatPageTest {
    @TempDir
    static Path dir;
    static TestAccessTeam team;
    static App hub;
    static String base;

    static BeeperConfig config(Path dataDir, String certsUrl, int rateLimit) {
        return new ConfigLoader().load(null, Map.of(), Map.of(
                "web.host", "127.0.0.1", "web.port", "0", "mqtt.port", "0", "data.dir", dataDir.toString(),
                "sensors.mode", "simulated",
                "viewers.identity", "cloudflare-access",
                "viewers.cloudflare.teamDomain", TestAccessTeam.TEAM,
                "viewers.cloudflare.audience", TestAccessTeam.AUDIENCE,
                "viewers.cloudflare.certsUrl", certsUrl,
                "chat.rateLimitMessages", Integer.toString(rateLimit)));
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
            TwoVisitors.waitForViewers(v.alice, Duration.ofSeconds(10), "alice", "bob");
            TwoVisitors.waitForViewers(v.bob, Duration.ofSeconds(10), "alice", "bob");
            TwoVisitors.watchChat(v.alice);
            TwoVisitors.watchChat(v.bob);

            long sent = TwoVisitors.typeAndEnter(v.alice, "Hello from the coop 🐔");
            new WebDriverWait(v.bob.driver(), Duration.ofSeconds(1))
                    .until(d -> TwoVisitors.shownAt(v.bob, "Hello from the coop 🐔") > 0);
            assertThat(TwoVisitors.shownAt(v.bob, "Hello from the coop 🐔") - sent).isLessThan(1000);
            assertThat(v.alice.driver().findElement(By.cssSelector("#chat input.chat-input")).getAttribute("value"))
                    .as("the input is cleared after sending").isEmpty();

            String hostile = "<img src=x onerror=alert(1)>";
            TwoVisitors.typeAndEnter(v.bob, hostile);
            new WebDriverWait(v.alice.driver(), Duration.ofSeconds(1)).until(d -> TwoVisitors.shownAt(v.alice, hostile) > 0);
            var last = v.alice.driver().findElements(By.cssSelector("#chat .chat-message"));
            assertThat(last.get(last.size() - 1).findElement(By.cssSelector(".chat-user")).getText()).isEqualTo("bob");
            assertThat(last.get(last.size() - 1).findElement(By.cssSelector(".chat-text")).getText()).isEqualTo(hostile);
            assertThat(v.alice.driver().findElements(By.cssSelector("#chat img"))).isEmpty();
            Thread.sleep(300);
            for (HeadlessChromium b : new HeadlessChromium[]{v.alice, v.bob}) {
                assertThatThrownBy(() -> b.driver().switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
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

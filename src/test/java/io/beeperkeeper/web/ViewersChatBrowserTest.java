package io.beeperkeeper.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.config.BeeperConfig;
import io.beeperkeeper.config.ConfigLoader;
import io.beeperkeeper.health.HealthRegistry;
import io.beeperkeeper.viewers.IdentityResolvers;
import io.beeperkeeper.viewers.TestAccessTeam;
import io.beeperkeeper.web.viewers.ViewersFeature;
import io.javalin.Javalin;
import io.javalin.http.sse.SseClient;
import io.javalin.http.staticfiles.Location;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * viewers.js and chat.js in headless Chromium, served by the hub's web pieces (security headers,
 * guards, identity gate, viewers and chat) in cloudflare-access mode against a test Access team. Two
 * browsers play Cloudflare's edge by adding alice's and bob's signed Cf-Access-Jwt-Assertion to every
 * request; they must see each other in "Who's viewing", exchange a message within a second, and show
 * a hostile message as text. The page here is a minimal host page with the two sections; the SSE
 * bridge does what the hub's app.js does (re-dispatch each event as window "beeper:name").
 */
class ViewersChatBrowserTest {
    @TempDir
    static Path dir;
    static TestAccessTeam team;
    static ViewersFeature feature;
    static Javalin app;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        team = new TestAccessTeam();
        BeeperConfig config = new ConfigLoader().load(null, Map.of(), Map.of(
                "data.dir", dir.resolve("data").toString(),
                "viewers.identity", "cloudflare-access",
                "viewers.cloudflare.teamDomain", TestAccessTeam.TEAM,
                "viewers.cloudflare.audience", TestAccessTeam.AUDIENCE,
                "viewers.cloudflare.certsUrl", team.certsUrl()));
        ObjectMapper json = new ObjectMapper();
        Set<SseClient> clients = ConcurrentHashMap.newKeySet();
        feature = new ViewersFeature(config, (name, payload) -> {
            try {
                String data = json.writeValueAsString(payload);
                clients.forEach(c -> c.sendEvent(name, data));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, new HealthRegistry(), Clock.systemUTC());
        app = Javalin.create(c -> {
            c.showJavalinBanner = false;
            c.staticFiles.add(s -> {
                s.hostedPath = "/";
                s.directory = "/web";
                s.location = Location.CLASSPATH;
            });
        });
        SecurityHeaders.install(app);
        ViewersFeature.requestGuards().install(app);
        feature.webModules().forEach(m -> m.register(app));
        app.sse("/api/events", c -> {
            c.keepAlive();
            c.onClose(() -> clients.remove(c));
            clients.add(c);
        });
        app.get("/test-page", ctx -> ctx.html("""
                <!doctype html><html><head><meta charset="utf-8"><title>test</title>
                <link rel="icon" href="data:,">
                <script type="module" src="/test-bridge.js"></script>
                <script type="module" src="/js/viewers.js"></script>
                <script type="module" src="/js/chat.js"></script></head>
                <body><section id="viewers"></section><section id="chat"></section></body></html>"""));
        app.get("/test-bridge.js", ctx -> ctx.contentType("text/javascript").result("""
                const es = new EventSource('/api/events');
                es.addEventListener('open', () => window.dispatchEvent(new CustomEvent('beeper:live-up')));
                for (const n of ['presence', 'chat']) {
                  es.addEventListener(n, (e) => window.dispatchEvent(new CustomEvent('beeper:' + n, { detail: JSON.parse(e.data) })));
                }"""));
        app.start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + app.port();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.stop();
        }
        if (feature != null) {
            feature.close();
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
            v.open(base + "/test-page");
            TwoVisitors.waitForViewers(v.alice, Duration.ofSeconds(10), "alice", "bob");
            TwoVisitors.waitForViewers(v.bob, Duration.ofSeconds(10), "alice", "bob");
            TwoVisitors.watchChat(v.alice);
            TwoVisitors.watchChat(v.bob);

            String hello = "Hello from the coop 🐔";
            long sent = TwoVisitors.typeAndEnter(v.alice, hello);
            new WebDriverWait(v.bob.driver(), Duration.ofSeconds(1)).until(d -> TwoVisitors.shownAt(v.bob, hello) > 0);
            assertThat(TwoVisitors.shownAt(v.bob, hello) - sent).isLessThan(1000);
            assertThat(v.alice.driver().findElement(By.cssSelector("#chat input.chat-input")).getAttribute("value"))
                    .as("the input is cleared after sending").isEmpty();

            String hostile = "<img src=x onerror=alert(1)>";
            TwoVisitors.typeAndEnter(v.bob, hostile);
            new WebDriverWait(v.alice.driver(), Duration.ofSeconds(1)).until(d -> TwoVisitors.shownAt(v.alice, hostile) > 0);
            var messages = v.alice.driver().findElements(By.cssSelector("#chat .chat-message"));
            var last = messages.get(messages.size() - 1);
            assertThat(last.findElement(By.cssSelector(".chat-user")).getText()).isEqualTo("bob");
            assertThat(last.findElement(By.cssSelector(".chat-text")).getText()).isEqualTo(hostile);
            assertThat(v.alice.driver().findElements(By.cssSelector("#chat img"))).isEmpty();
            Thread.sleep(300);
            for (HeadlessChromium b : new HeadlessChromium[]{v.alice, v.bob}) {
                assertThatThrownBy(() -> b.driver().switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
                assertThat(b.consoleErrors()).isEmpty();
            }
        }
    }
}

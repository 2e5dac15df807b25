package io.beeperkeeper.web;

import io.beeperkeeper.chat.ChatRateLimiter;
import io.beeperkeeper.chat.ChatService;
import io.beeperkeeper.chat.ChatStore;
import io.beeperkeeper.config.ViewersConfig;
import io.beeperkeeper.viewers.ClientAddresses;
import io.beeperkeeper.viewers.CloudflareAccessVerifier;
import io.beeperkeeper.viewers.IdentityResolver;
import io.beeperkeeper.viewers.IdentityResolvers;
import io.beeperkeeper.viewers.Presence;
import io.beeperkeeper.web.chat.ChatWebModule;
import io.beeperkeeper.web.viewers.IdentityGate;
import io.beeperkeeper.web.viewers.ViewersWebModule;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The viewers and chat endpoints with the hub's guards and headers, over real HTTP. */
class ViewersChatHttpTest {
    @TempDir
    Path dir;
    Javalin app;
    ChatStore store;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String base;

    void start(IdentityResolver resolver, boolean gated) {
        store = new ChatStore(dir.resolve("beeper.db"), 1000);
        Clock clock = Clock.systemUTC();
        ChatService chat = new ChatService(store, new ChatRateLimiter(clock, 5, Duration.ofSeconds(10)), clock, m -> { });
        Presence presence = new Presence(clock, l -> { });
        IdentityGate gate = new IdentityGate(resolver, "Open the hub through its Cloudflare Access address.");
        app = Javalin.create(c -> {
            SecurityHeaders.install(c.routes);
            if (gated) {
                gate.guardEverything(c.routes);
            }
            RequestGuards.defaults().allow(ViewersWebModule.USER_LEFT_PATH, RequestGuards.DEFAULT_MAX_BYTES, "text/plain").install(c.routes);
            new ViewersWebModule(presence, gate).register(c.routes);
            new ChatWebModule(chat, gate).register(c.routes);
            c.routes.get("/", ctx -> ctx.html("<!doctype html><title>hub</title>"));
        }).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + app.port();
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
        if (store != null) {
            store.close();
        }
    }

    HttpResponse<String> post(String path, String type, String body, String origin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        if (origin != null) {
            b.header("Origin", origin);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void heartbeatChatAndTheListWork() throws Exception {
        start(IdentityResolvers.local(ClientAddresses.parse("")), false);
        assertThat(post("/api/heartbeat", "application/json", "{\"state\":\"viewing\",\"tab\":\"t1\"}", base).statusCode()).isEqualTo(200);
        assertThat(get("/api/active_users").body()).contains("\"name\":\"local-127.0.0.1\"").contains("\"state\":\"viewing\"");
        assertThat(post("/api/heartbeat", "application/json", "{\"state\":\"dancing\"}", base).statusCode()).isEqualTo(400);
        assertThat(post("/api/user_left", "text/plain;charset=UTF-8", "{\"tab\":\"t1\"}", base).statusCode()).isEqualTo(204);
        assertThat(get("/api/active_users").body()).isEqualTo("{\"users\":[]}");
        HttpResponse<String> late = post("/api/heartbeat", "application/json", "{\"state\":\"away\",\"tab\":\"t1\"}", base);
        assertThat(late.statusCode()).as("a late heartbeat of a tab that left").isEqualTo(410);
        assertThat(late.body()).contains("new tab id");
        assertThat(get("/api/active_users").body()).isEqualTo("{\"users\":[]}");

        HttpResponse<String> sent = post("/api/chat/send", "application/json; charset=utf-8", "{\"message\":\"  <b>hi</b> 🐔 \"}", base);
        assertThat(sent.statusCode()).isEqualTo(201);
        assertThat(sent.body()).contains("\"message\":\"<b>hi</b> 🐔\"").contains("\"username\":\"local-127.0.0.1\"");
        assertThat(get("/api/chat/messages").body()).contains("<b>hi</b> 🐔").contains("\"timestamp\":");
        assertThat(get("/api/chat/messages?since=1").body()).isEqualTo("{\"messages\":[]}");
        assertThat(get("/api/chat/messages?since=x").statusCode()).isEqualTo(400);
    }

    @Test
    void chatRefusesBadTextWithAReasonAndRateLimitsWithRetryAfter() throws Exception {
        start(IdentityResolvers.local(ClientAddresses.parse("")), false);
        HttpResponse<String> empty = post("/api/chat/send", "application/json", "{\"message\":\"   \"}", base);
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).contains("message is empty");
        assertThat(post("/api/chat/send", "application/json", "{\"message\":\"" + "x".repeat(501) + "\"}", base).body())
                .contains("at most 500");
        assertThat(post("/api/chat/send", "application/json", "{\"message\":42}", base).statusCode()).isEqualTo(400);
        assertThat(post("/api/chat/send", "application/json", "not json", base).statusCode()).isEqualTo(400);
        for (int i = 0; i < 5; i++) {
            assertThat(post("/api/chat/send", "application/json", "{\"message\":\"m" + i + "\"}", base).statusCode()).isEqualTo(201);
        }
        HttpResponse<String> limited = post("/api/chat/send", "application/json", "{\"message\":\"one more\"}", base);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 10);
    }

    @Test
    void crossOriginWrongTypeAndOversizedRequestsAreRefused() throws Exception {
        start(IdentityResolvers.local(ClientAddresses.parse("")), false);
        String ok = "{\"message\":\"hello\"}";
        assertThat(post("/api/chat/send", "application/json", ok, "http://evil.example").statusCode()).isEqualTo(403);
        assertThat(post("/api/chat/send", "application/json", ok, "null").statusCode()).isEqualTo(403);
        HttpResponse<String> csrfForm = post("/api/chat/send", "text/plain", ok, null);
        assertThat(csrfForm.statusCode()).as("no Origin and not JSON").isEqualTo(403);
        assertThat(post("/api/chat/send", "application/x-www-form-urlencoded", "message=hi", base).statusCode()).isEqualTo(415);
        assertThat(post("/api/chat/send", "text/plain", ok, base).statusCode()).as("text/plain is only for user_left").isEqualTo(415);
        assertThat(post("/api/user_left", "text/plain", "{}", "http://evil.example").statusCode()).isEqualTo(403);
        String big = "{\"message\":\"" + "x".repeat(5000) + "\"}";
        assertThat(post("/api/chat/send", "application/json", big, base).statusCode()).isEqualTo(413);
        HttpRequest viaReferer = HttpRequest.newBuilder(URI.create(base + "/api/chat/send"))
                .header("Content-Type", "application/json").header("Referer", "http://evil.example/page")
                .POST(HttpRequest.BodyPublishers.ofString(ok)).build();
        assertThat(http.send(viaReferer, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
        assertThat(get("/api/chat/messages").body()).isEqualTo("{\"messages\":[]}");
        // a script without Origin sending JSON is not a browser forgery
        assertThat(post("/api/chat/send", "application/json", ok, null).statusCode()).isEqualTo(201);
    }

    @Test
    void pageAndApiCarrySecurityHeaders() throws Exception {
        start(IdentityResolvers.local(ClientAddresses.parse("")), false);
        for (String path : new String[]{"/", "/api/active_users", "/nowhere"}) {
            HttpResponse<String> r = get(path);
            assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> {
                assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe-inline'; script").doesNotContain("unsafe-eval");
                assertThat(csp.split(";")[1]).doesNotContain("unsafe-inline");
            });
            assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
        HttpResponse<String> refused = post("/api/chat/send", "application/json", "{}", "http://evil.example");
        assertThat(refused.headers().firstValue("Content-Security-Policy")).isPresent();
    }

    @Test
    void cloudflareModeWithoutAValidTokenGets401AndAClearPage() throws Exception {
        ViewersConfig.CloudflareConfig cf = new ViewersConfig.CloudflareConfig("coop", "aud", "http://127.0.0.1:9/certs", false);
        start(IdentityResolvers.cloudflareAccess(cf, ClientAddresses.parse(""), CloudflareAccessVerifier.remoteKeys(cf.effectiveCertsUrl()),
                Clock.systemUTC()), true);
        HttpResponse<String> api = get("/api/active_users");
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(api.body()).contains("\"error\":\"not signed in: no Cloudflare Access token");
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(401);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("Sign-in required").contains("Cloudflare Access address");
        HttpRequest forged = HttpRequest.newBuilder(URI.create(base + "/api/chat/send"))
                .header("Content-Type", "application/json").header("Origin", base)
                .header("Cf-Access-Jwt-Assertion", "eyJhbGciOiJub25lIn0.eyJlbWFpbCI6ImFkbWluQHguY29tIn0.")
                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"forged\"}")).build();
        assertThat(http.send(forged, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        assertThat(store.count()).isZero();
    }
}

package io.beeperkeeper.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.config.BeeperConfig;
import io.beeperkeeper.config.ConfigLoader;
import io.beeperkeeper.health.HealthRegistry;
import io.beeperkeeper.viewers.TestAccessTeam;
import io.beeperkeeper.web.viewers.ViewersFeature;
import io.javalin.Javalin;
import io.javalin.http.sse.SseClient;
import io.javalin.http.staticfiles.Location;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hub's web pieces for viewers and chat on 127.0.0.1 in cloudflare-access mode against a test
 * Access team: security headers, guards, identity gate, the real page scripts from {@code /web}, an
 * SSE stream, and a minimal host page ({@code /test-page}) with the two sections and a bridge that
 * does what the hub's app.js does (re-dispatch each event as window "beeper:name").
 */
public final class ViewersTestStack implements AutoCloseable {
    public final TestAccessTeam team;
    private final ViewersFeature feature;
    private final Javalin app;

    public ViewersTestStack(Path dataDir, Map<String, String> extraConfig) throws Exception {
        team = new TestAccessTeam();
        Map<String, String> settings = new HashMap<>(Map.of(
                "data.dir", dataDir.toString(),
                "viewers.identity", "cloudflare-access",
                "viewers.cloudflare.teamDomain", TestAccessTeam.TEAM,
                "viewers.cloudflare.audience", TestAccessTeam.AUDIENCE,
                "viewers.cloudflare.certsUrl", team.certsUrl()));
        settings.putAll(extraConfig);
        BeeperConfig config = new ConfigLoader().load(null, Map.of(), settings);
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
                es.addEventListener('open', () => window.dispatchEvent(new CustomEvent('beeper:sse-open')));
                for (const n of ['presence', 'chat']) {
                  es.addEventListener(n, (e) => window.dispatchEvent(new CustomEvent('beeper:' + n, { detail: JSON.parse(e.data) })));
                }"""));
        app.start("127.0.0.1", 0);
    }

    public String pageUrl() {
        return "http://127.0.0.1:" + app.port() + "/test-page";
    }

    @Override
    public void close() {
        try {
            app.stop();
            feature.close();
        } finally {
            team.close();
        }
    }
}

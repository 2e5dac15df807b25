package io.beeperkeeper.bench;

import io.beeperkeeper.config.BeeperConfig;
import io.beeperkeeper.config.ConfigLoader;
import io.beeperkeeper.health.HealthRegistry;
import io.beeperkeeper.web.SecurityHeaders;
import io.beeperkeeper.web.WebModule;
import io.beeperkeeper.web.viewers.ViewersFeature;
import io.javalin.Javalin;
import io.javalin.http.sse.SseClient;

import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hub's web stack for {@link SseMemoryBench}, alone in its JVM: Javalin with the security
 * headers, request guards, viewers and chat, and an SSE endpoint keeping every client open, as the
 * page's live stream does. Prints "PORT n" when listening.
 */
public final class SseBenchServer {
    public static void main(String[] args) throws Exception {
        BeeperConfig config = new ConfigLoader().load(null, Map.of(), Map.of("data.dir", args[0]));
        Set<SseClient> clients = ConcurrentHashMap.newKeySet();
        ViewersFeature viewers = new ViewersFeature(config, (name, payload) -> clients.forEach(c -> c.sendEvent(name, payload)),
                new HealthRegistry(), Clock.systemUTC());
        Javalin app = Javalin.create(c -> c.showJavalinBanner = false);
        SecurityHeaders.install(app);
        ViewersFeature.requestGuards().install(app);
        for (WebModule m : viewers.webModules()) {
            m.register(app);
        }
        app.get("/api/health", ctx -> ctx.result("ok"));
        app.sse("/api/events", c -> {
            c.keepAlive();
            c.onClose(() -> clients.remove(c));
            clients.add(c);
        });
        app.start("127.0.0.1", 0);
        System.out.println("PORT " + app.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}

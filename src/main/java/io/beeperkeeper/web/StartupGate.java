package io.beeperkeeper.web;

import io.beeperkeeper.web.metrics.MetricsWeb;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.Map;
import java.util.Set;

/**
 * Lets the page be served while the hub's parts are still starting (on a Pi the broker, the WebRTC
 * key and the cameras take seconds): until {@link #open()}, every API request other than the ones the
 * hub answers from the first moment ({@code /api/health}, {@code /api/events}, {@code /api/metrics/latest},
 * {@code /metrics}) and every WebSocket upgrade gets 503 {@code {"error":"the hub is starting"}} with
 * {@code Retry-After} and the {@value #HEADER} header, which the page's scripts wait on and retry.
 * Installed after the identity gate, so a visitor who may not see the hub learns that first.
 */
public final class StartupGate implements WebModule {
    /** Marks a 503 that only means "ask again in a moment" (js/starting.js retries on it). */
    public static final String HEADER = "X-Beeper-Starting";
    private static final Set<String> ALWAYS = Set.of(CoreWeb.HEALTH_PATH, WebServer.EVENTS_PATH, CoreWeb.LATEST_PATH, MetricsWeb.PATH);
    private static final RequestRefused STARTING = new RequestRefused(503, "the hub is starting",
            Map.of("Retry-After", "1", HEADER, "1", "Cache-Control", "no-store"), null);

    private volatile boolean open;

    /** Every route answers from now on. */
    public void open() {
        open = true;
    }

    public boolean isOpen() {
        return open;
    }

    @Override
    public void register(RoutesConfig app) {
        RequestRefused.install(app);
        app.before("/api/*", this::check);
        app.wsBeforeUpgrade(this::check);
    }

    private void check(Context ctx) {
        if (!open && !ALWAYS.contains(ctx.path())) {
            throw STARTING;
        }
    }
}

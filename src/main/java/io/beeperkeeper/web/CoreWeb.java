package io.beeperkeeper.web;

import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.health.HealthRegistry;
import io.beeperkeeper.telemetry.LatestMetrics;
import io.beeperkeeper.metric.MetricSample;
import io.javalin.config.RoutesConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hub's own endpoints: {@code /api/health}, {@code /api/metrics/latest}, and the SSE greeting that
 * gives a new page every current value at once.
 */
public final class CoreWeb implements WebModule {
    public static final String HEALTH_PATH = "/api/health";
    static final String LATEST_PATH = "/api/metrics/latest";
    /**
     * Request attribute set by a gate that lets an anonymous health probe through: the answer then
     * carries the overall status only, not what each component reports.
     */
    public static final String STATUS_ONLY = "beeper.healthStatusOnly";
    private final HealthRegistry health;
    private final LatestMetrics latest;
    private final String version;

    public CoreWeb(HealthRegistry health, LatestMetrics latest, LiveEvents events, String version) {
        this.health = health;
        this.latest = latest;
        this.version = version;
        events.onConnect("snapshot", this::latestJson);
    }

    /** A sample as the page and API show it: epoch seconds like the MQTT payloads. */
    public static Map<String, Object> toJson(MetricSample s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node", s.node());
        m.put("metric", s.metric());
        m.put("value", s.value());
        m.put("unit", s.unit());
        m.put("timestamp", s.time().toEpochMilli() / 1000.0);
        if (s.text() != null) {
            m.put("text", s.text());
        }
        if (s.simulated()) {
            m.put("simulated", true);
        }
        return m;
    }

    private Map<String, Object> latestJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        latest.snapshot().forEach((k, s) -> out.put(k, toJson(s)));
        return out;
    }

    @Override
    public void register(RoutesConfig app) {
        app.get(LATEST_PATH, ctx -> ctx.json(latestJson()));
        app.get(HEALTH_PATH, ctx -> {
            Map<String, ComponentHealth> components = health.snapshot();
            boolean allUp = components.values().stream().allMatch(c -> c.status() == ComponentHealth.Status.UP);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", allUp ? "up" : "degraded");
            if (Boolean.TRUE.equals(ctx.attribute(STATUS_ONLY))) {
                ctx.header("Cache-Control", "no-store").json(body);
                return;
            }
            body.put("version", version);
            Map<String, Object> parts = new LinkedHashMap<>();
            components.forEach((name, c) -> parts.put(name, Map.of("status", c.status().name().toLowerCase(), "detail", c.detail())));
            body.put("components", parts);
            ctx.json(body);
        });
    }
}

package io.beeperkeeper.web.metrics;

import io.beeperkeeper.web.WebModule;
import io.javalin.config.RoutesConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * {@code GET /metrics}: every meter of the hub's one registry in the Prometheus text format, for a
 * Prometheus server (or Grafana Agent, VictoriaMetrics, Telegraf) to scrape. It goes through the same
 * guards as {@code /api/health}: the Host must be one of the hub's names (no DNS rebinding), and in
 * the identity modes that guard everything only a signed-in visitor or a direct request from this
 * machine gets it. It holds no secret, but viewer counts say when someone is watching. The metric list
 * is in docs/metrics.md.
 */
public final class MetricsWeb implements WebModule {
    public static final String PATH = "/metrics";
    /** The Prometheus text exposition format, version 0.0.4, which every scraper reads. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    public MetricsWeb(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void register(RoutesConfig app) {
        app.get(PATH, ctx -> ctx.header("Cache-Control", "no-store").contentType(CONTENT_TYPE).result(registry.scrape(CONTENT_TYPE)));
    }
}

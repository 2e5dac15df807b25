package io.beeperkeeper.history;

import io.beeperkeeper.config.HistoryConfig;
import io.beeperkeeper.feature.Feature;
import io.beeperkeeper.health.HealthCheck;
import io.beeperkeeper.metric.MetricListener;
import io.beeperkeeper.metric.MetricSample;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The history feature: the store in {@code <data dir>/beeper.db} (health "store") and the InfluxDB
 * mirror when enabled (health "influx"), both fed every sample the hub accepts. Its routes are in
 * {@code web/history}, reading through {@link #store()}. Its counts (samples received, written and
 * dropped, commits, failed writes, the writer's queue) are meters in the hub's registry.
 */
public final class HistoryFeature implements Feature, MetricListener {
    /** The hub's one SQLite file in the data folder (history, and chat next to it). */
    public static final String DB_FILE = "beeper.db";

    private final HistoryConfig config;
    private final HistoryStore store;
    private volatile HistoryMirror mirror = HistoryMirror.NONE;
    private volatile boolean started;

    /** @param meters the hub's meter registry: the store's counts are read from it at each scrape */
    public HistoryFeature(HistoryConfig config, Path dataDir, Clock clock, MeterRegistry meters) {
        this.config = config;
        this.store = new HistoryStore(dataDir.resolve(DB_FILE), config, clock);
        counter(meters, "beeper.store.samples.received", "samples handed to the store", s -> s.received());
        counter(meters, "beeper.store.samples.written", "samples committed to the SQLite file", s -> s.written());
        counter(meters, "beeper.store.samples.dropped", "samples dropped because the writer fell behind or kept failing", s -> s.dropped());
        counter(meters, "beeper.store.commits", "commits of the history writer", s -> s.commits());
        counter(meters, "beeper.store.errors", "failed writes (a commit, daily figures, retention)", s -> s.errors());
        Gauge.builder("beeper.store.queued.samples", store, s -> s.stats().queued())
                .description("samples waiting for the history writer").register(meters);
    }

    private void counter(MeterRegistry meters, String name, String description, ToDoubleFunction<HistoryStore.Stats> count) {
        FunctionCounter.builder(name, store, s -> count.applyAsDouble(s.stats())).description(description).register(meters);
    }

    @Override
    public String name() {
        return "history";
    }

    @Override
    public void start() {
        store.start();
        if (config.influx().enabled()) {
            mirror = new InfluxMirror(config.influx());
        }
        started = true;
    }

    @Override
    public List<HealthCheck> health() {
        List<HealthCheck> out = new ArrayList<>();
        out.add(new HealthCheck("store", store::health));
        if (config.influx().enabled()) {
            out.add(new HealthCheck("influx", () -> mirror.health()));
        }
        return out;
    }

    @Override
    public List<MetricListener> listeners() {
        return List.of(this);
    }

    @Override
    public void onSample(MetricSample sample) {
        store.onSample(sample);
        mirror.onSample(sample);
    }

    /** The open store (after {@link #start()}): queries for the web adapter and tools. */
    public HistoryStore store() {
        if (!started) {
            throw new IllegalStateException("history is not started");
        }
        return store;
    }

    @Override
    public void close() {
        mirror.close();
        store.close();
    }
}

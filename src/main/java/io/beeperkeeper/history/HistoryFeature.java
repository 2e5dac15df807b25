package io.beeperkeeper.history;

import io.beeperkeeper.config.HistoryConfig;
import io.beeperkeeper.health.HealthRegistry;
import io.beeperkeeper.metric.MetricListener;
import io.beeperkeeper.metric.MetricSample;
import io.beeperkeeper.web.WebModule;

import java.nio.file.Path;
import java.time.Clock;

/**
 * The history feature as App wires it: the store in {@code <data dir>/beeper.db} (health "store"),
 * its web routes, and the InfluxDB mirror when enabled (health "influx"). One listener takes every
 * sample for both.
 */
public final class HistoryFeature implements MetricListener, AutoCloseable {
    public static final String DB_FILE = "beeper.db";

    private final HistoryStore store;
    private final InfluxMirror mirror;
    private final HistoryWeb web;

    private HistoryFeature(HistoryStore store, InfluxMirror mirror, HistoryWeb web) {
        this.store = store;
        this.mirror = mirror;
        this.web = web;
    }

    public static HistoryFeature start(HistoryConfig config, Path dataDir, Clock clock, HealthRegistry health) {
        HistoryStore store = HistoryStore.open(dataDir.resolve(DB_FILE), config, clock);
        health.register("store", store::health);
        InfluxMirror mirror = null;
        if (config.influx().enabled()) {
            mirror = new InfluxMirror(config.influx());
            health.register("influx", mirror::health);
        }
        return new HistoryFeature(store, mirror, new HistoryWeb(store, clock));
    }

    @Override
    public void onSample(MetricSample sample) {
        store.onSample(sample);
        if (mirror != null) {
            mirror.onSample(sample);
        }
    }

    public WebModule web() {
        return web;
    }

    public HistoryStore store() {
        return store;
    }

    @Override
    public void close() {
        if (mirror != null) {
            mirror.close();
        }
        store.close();
    }
}

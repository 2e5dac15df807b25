package io.beeperkeeper.history;

import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.metric.MetricListener;

/**
 * Somewhere else every reading is copied to (InfluxDB for those who keep Grafana), or {@link #NONE}
 * when no mirror is configured.
 */
interface HistoryMirror extends MetricListener, AutoCloseable {
    /** No mirror: takes every reading and does nothing. */
    HistoryMirror NONE = new HistoryMirror() {
        @Override
        public void onSample(io.beeperkeeper.metric.MetricSample sample) {
        }

        @Override
        public ComponentHealth health() {
            return ComponentHealth.down("not started");
        }

        @Override
        public void close() {
        }
    };

    ComponentHealth health();

    @Override
    void close();
}

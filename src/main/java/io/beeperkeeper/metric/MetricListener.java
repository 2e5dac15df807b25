package io.beeperkeeper.metric;

/**
 * Receives every metric sample the hub takes from the broker (history store, alerts, live page).
 * Called on the MQTT client's thread: implementations must return quickly and never throw.
 */
@FunctionalInterface
public interface MetricListener {
    void onSample(MetricSample sample);
}

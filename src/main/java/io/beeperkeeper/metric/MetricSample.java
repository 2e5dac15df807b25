package io.beeperkeeper.metric;

import java.time.Instant;

/**
 * One numeric value of one metric as the hub received it from the broker, e.g. temperature 21.4 degC.
 * {@code text} carries a label that goes with the number where there is one (the IAQ class name),
 * else null. {@code simulated} marks a value from a simulated twin (demo, development): shown as such,
 * never mistaken for the coop's.
 */
public record MetricSample(String node, String metric, double value, String unit, Instant time, String text, boolean simulated) {
    /** A measured (not simulated) sample. */
    public MetricSample(String node, String metric, double value, String unit, Instant time, String text) {
        this(node, metric, value, unit, time, text, false);
    }

    public MetricSample {
        if (metric == null || metric.isBlank()) {
            throw new IllegalArgumentException("metric name is empty");
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("metric " + metric + " is not a finite number: " + value);
        }
    }
}

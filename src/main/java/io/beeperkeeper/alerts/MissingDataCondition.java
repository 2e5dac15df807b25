package io.beeperkeeper.alerts;

import io.beeperkeeper.metric.MetricSample;

import java.time.Duration;
import java.time.Instant;

/**
 * No sample of a metric for {@code after}: the sensor (or the node that carries it) is offline.
 * Counts from the first evaluation when nothing has arrived yet, so a sensor that never reports after
 * a start is noticed too.
 */
final class MissingDataCondition implements Condition {
    private final String metric;
    private final String node;
    private final Duration after;
    private Instant lastSeen;

    public MissingDataCondition(String metric, String node, Duration after) {
        this.metric = metric;
        this.node = node == null ? "" : node;
        this.after = after;
    }

    @Override
    public void onSample(MetricSample s, boolean simulated) {
        if (s.metric().equals(metric) && (node.isEmpty() || node.equals(s.node()))) {
            if (lastSeen == null || s.time().isAfter(lastSeen)) {
                lastSeen = s.time();
            }
        }
    }

    @Override
    public Verdict evaluate(Instant now, boolean active) {
        if (lastSeen == null) {
            lastSeen = now;
        }
        Duration gap = Duration.between(lastSeen, now);
        double minutes = Math.max(0, gap.toMillis() / 60_000.0);
        if (gap.compareTo(after) > 0) {
            return Verdict.breached(minutes, "no " + metric + " reading for " + ThresholdCondition.fmt(minutes) + " min");
        }
        return Verdict.clear(minutes, metric + " arriving");
    }

    @Override
    public String metric() {
        return metric;
    }
}

package io.beeperkeeper.alerts;

import io.beeperkeeper.metric.MetricSample;

import java.time.Instant;

/**
 * The test behind one rule. It sees every sample (and keeps only what it needs, bounded), and is asked
 * at an instant whether it holds. {@code active} is true while the rule is pending or firing, so a
 * condition with a clear level (hysteresis) clears only past that level.
 */
interface Condition {
    /** Called for every accepted sample, under the engine's lock: keep it quick. */
    default void onSample(MetricSample sample, boolean simulated) {
    }

    Verdict evaluate(Instant now, boolean active);

    /** The metric this condition reads, for showing units; "" when it reads health. */
    default String metric() {
        return "";
    }
}

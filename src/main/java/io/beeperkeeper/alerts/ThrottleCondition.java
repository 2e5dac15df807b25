package io.beeperkeeper.alerts;

import io.beeperkeeper.metric.MetricSample;
import io.beeperkeeper.sensor.system.ThrottleFlags;

import java.time.Instant;

/**
 * The Pi is throttled now (under-voltage, frequency capping, throttling or the soft temperature limit:
 * bits 0-3 of the firmware's throttle word, {@code cpu_throttled}). Past events (bits 16-19) alone do not fire.
 */
final class ThrottleCondition implements Condition {
    public static final String METRIC = "cpu_throttled";
    private double last = Double.NaN;
    private boolean lastSimulated;

    @Override
    public void onSample(MetricSample s, boolean simulated) {
        if (s.metric().equals(METRIC)) {
            last = s.value();
            lastSimulated = simulated;
        }
    }

    @Override
    public Verdict evaluate(Instant now, boolean active) {
        if (Double.isNaN(last)) {
            return Verdict.unknown("no throttle reading yet");
        }
        ThrottleFlags f = new ThrottleFlags((long) last);
        return (f.anyActive() ? Verdict.breached(last, f.describe()) : Verdict.clear(last, f.describe())).simulated(lastSimulated);
    }

    @Override
    public String metric() {
        return METRIC;
    }
}

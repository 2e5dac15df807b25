package io.beeperkeeper.alerts;

import io.beeperkeeper.metric.MetricSample;

import java.time.Instant;
import java.util.List;

/**
 * A metric beyond one or more levels, e.g. "temperature above 30 °C, clear below 28 °C" or the heat
 * stress levels of the THI (alert, danger, emergency, each with its severity). Once the rule is
 * pending or firing it clears only past {@code clear} (hysteresis), so a value hovering at the level
 * does not fire and resolve every minute.
 */
final class ThresholdCondition implements Condition {
    /** One level: beyond it (at it too when {@code inclusive}) the rule is breached with {@code severity}. */
    public record Level(double value, boolean inclusive, Severity severity, String name) {
    }

    private final String metric;
    private final String node;
    private final boolean above;
    private final List<Level> levels;
    private final double clear;
    private final String unit;
    private double last = Double.NaN;
    private boolean lastSimulated;

    /**
     * @param node   only this node's samples, or "" for any node
     * @param above  true: breached above the levels; false: below them
     * @param levels from the mildest to the worst
     * @param clear  while active, the rule stays breached until the value is past this level
     */
    public ThresholdCondition(String metric, String node, boolean above, List<Level> levels, double clear, String unit) {
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("a threshold needs a level");
        }
        this.metric = metric;
        this.node = node == null ? "" : node;
        this.above = above;
        this.levels = List.copyOf(levels);
        this.clear = clear;
        this.unit = unit == null ? "" : unit;
    }

    /** One level with the rule's own severity. */
    public static ThresholdCondition simple(String metric, String node, boolean above, double level, double clear, String unit) {
        return new ThresholdCondition(metric, node, above, List.of(new Level(level, false, null, above ? "above" : "below")),
                clear, unit);
    }

    @Override
    public void onSample(MetricSample s, boolean simulated) {
        if (s.metric().equals(metric) && (node.isEmpty() || node.equals(s.node()))) {
            last = s.value();
            lastSimulated = simulated;
        }
    }

    @Override
    public Verdict evaluate(Instant now, boolean active) {
        double v = last;
        if (Double.isNaN(v)) {
            return Verdict.unknown("no " + metric + " reading yet");
        }
        Level hit = null;
        for (Level l : levels) {
            if (beyond(v, l)) {
                hit = l;
            }
        }
        String shown = metric + " " + fmt(v) + unit;
        if (hit != null) {
            return Verdict.breached(v, shown + ": " + hit.name() + " " + fmt(hit.value()) + unit)
                    .withSeverity(hit.severity()).simulated(lastSimulated);
        }
        Level first = levels.get(0);
        boolean stillOn = active && (above ? v >= clear : v <= clear);
        if (stillOn) {
            return Verdict.breached(v, shown + ": not yet " + (above ? "below " : "above ") + fmt(clear) + unit)
                    .withSeverity(first.severity()).simulated(lastSimulated);
        }
        return Verdict.clear(v, shown).simulated(lastSimulated);
    }

    private boolean beyond(double v, Level l) {
        if (above) {
            return l.inclusive() ? v >= l.value() : v > l.value();
        }
        return l.inclusive() ? v <= l.value() : v < l.value();
    }

    @Override
    public String metric() {
        return metric;
    }

    static String fmt(double v) {
        if (Math.abs(v - Math.rint(v)) < 1e-9) {
            return Long.toString(Math.round(v));
        }
        return String.format(java.util.Locale.ROOT, "%.1f", v);
    }
}

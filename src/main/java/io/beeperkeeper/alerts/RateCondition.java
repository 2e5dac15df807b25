package io.beeperkeeper.alerts;

import io.beeperkeeper.metric.MetricSample;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A metric that rises (or falls) by {@code change} within {@code window}, e.g. "THI up 5 in 30 min".
 * Keeps the samples of the window only, and at most {@link #MAX_POINTS} of them.
 */
final class RateCondition implements Condition {
    static final int MAX_POINTS = 4096;

    private record Point(Instant t, double v) {
    }

    private final String metric;
    private final String node;
    private final double change;
    private final Duration window;
    private final String unit;
    private final Deque<Point> points = new ArrayDeque<>();
    private boolean lastSimulated;

    public RateCondition(String metric, String node, double change, Duration window, String unit) {
        this.metric = metric;
        this.node = node == null ? "" : node;
        this.change = change;
        this.window = window;
        this.unit = unit == null ? "" : unit;
    }

    @Override
    public void onSample(MetricSample s, boolean simulated) {
        if (s.metric().equals(metric) && (node.isEmpty() || node.equals(s.node()))) {
            if (!points.isEmpty() && s.time().isBefore(points.peekLast().t())) {
                return; // late or replayed: the window is in time order
            }
            points.addLast(new Point(s.time(), s.value()));
            lastSimulated = simulated;
            trim(s.time());
            while (points.size() > MAX_POINTS) {
                points.pollFirst();
            }
        }
    }

    private void trim(Instant now) {
        Instant from = now.minus(window);
        while (!points.isEmpty() && points.peekFirst().t().isBefore(from)) {
            points.pollFirst();
        }
    }

    @Override
    public Verdict evaluate(Instant now, boolean active) {
        trim(now);
        if (points.size() < 2) {
            return Verdict.unknown("not enough " + metric + " readings in the last " + window.toMinutes() + " min");
        }
        double latest = points.peekLast().v();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Point p : points) {
            min = Math.min(min, p.v());
            max = Math.max(max, p.v());
        }
        double moved = change > 0 ? latest - min : latest - max;
        String text = metric + (moved >= 0 ? " up " : " down ") + ThresholdCondition.fmt(Math.abs(moved)) + unit
                + " in " + window.toMinutes() + " min (now " + ThresholdCondition.fmt(latest) + unit + ")";
        boolean hit = change > 0 ? moved >= change : moved <= change;
        return (hit ? Verdict.breached(latest, text) : Verdict.clear(latest, text)).simulated(lastSimulated);
    }

    @Override
    public String metric() {
        return metric;
    }
}

package io.beeperkeeper.alerts;

import io.beeperkeeper.metric.MetricSample;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Frostbite weather for combs and wattles: temperature below a level while the air is damp (humidity
 * above a level), on the same node. Clears once it is 1 °C warmer or 5 % RH drier, so it does not
 * flap at the edge.
 */
final class ColdCondition implements Condition {
    private final double below;
    private final double humidityAbove;
    private final Map<String, double[]> byNode = new HashMap<>();
    private boolean lastSimulated;

    public ColdCondition(double belowCelsius, double humidityAbove) {
        this.below = belowCelsius;
        this.humidityAbove = humidityAbove;
    }

    @Override
    public void onSample(MetricSample s, boolean simulated) {
        int i = s.metric().equals("temperature") ? 0 : s.metric().equals("humidity") ? 1 : -1;
        if (i >= 0) {
            byNode.computeIfAbsent(s.node(), n -> new double[]{Double.NaN, Double.NaN})[i] = s.value();
            lastSimulated = simulated;
        }
    }

    @Override
    public Verdict evaluate(Instant now, boolean active) {
        Verdict worst = null;
        for (double[] th : byNode.values()) {
            double t = th[0];
            double rh = th[1];
            if (Double.isNaN(t) || Double.isNaN(rh)) {
                continue;
            }
            String text = ThresholdCondition.fmt(t) + " °C at " + ThresholdCondition.fmt(rh) + " % RH";
            boolean hit = active ? t < below + 1 && rh > humidityAbove - 5 : t < below && rh > humidityAbove;
            Verdict v = hit ? Verdict.breached(t, text + ": frostbite risk") : Verdict.clear(t, text);
            if (worst == null || v.breached() && !worst.breached() || v.breached() == worst.breached() && t < worst.value()) {
                worst = v;
            }
        }
        return worst == null ? Verdict.unknown("no temperature and humidity readings yet") : worst.simulated(lastSimulated);
    }

    @Override
    public String metric() {
        return "temperature";
    }
}

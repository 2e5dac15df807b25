package io.beeperkeeper.history;

import io.beeperkeeper.metric.MetricSample;

import java.util.HashMap;
import java.util.Map;

/**
 * Turns lux into lights on/off with hysteresis: on from {@code onLux} (the seed's 50), off only below
 * {@code offLux}, so a level hovering around 50 does not flicker. One state per node. The store's
 * derived rows ({@link DerivedMetrics}) and the live value ({@link LightsOnFeed}) both use it, so the
 * page says "lights on" exactly when the history shades the chart.
 */
final class LightsDetector {
    private final double onLux;
    private final double offLux;
    private final Map<String, Boolean> state = new HashMap<>();

    LightsDetector(double onLux, double offLux) {
        if (offLux > onLux) {
            throw new IllegalArgumentException("off level " + offLux + " is above on level " + onLux);
        }
        this.onLux = onLux;
        this.offLux = offLux;
    }

    /** Seeds the state of a node from what was stored before a restart. */
    void restore(String node, boolean on) {
        state.put(node, on);
    }

    /** Whether a sample is a lux reading, the one metric lights on/off is derived from. */
    static boolean isLux(MetricSample sample) {
        return sample.metric().equals("lux");
    }

    /** The node's {@code lights_on} after this lux sample: 1 ("on") or 0 ("off"), at the sample's time. */
    MetricSample lightsOn(MetricSample lux) {
        boolean on = update(lux.node(), lux.value());
        return new MetricSample(lux.node(), DerivedMetrics.LIGHTS_ON, on ? 1 : 0, "", lux.time(), on ? "on" : "off");
    }

    /** The lights' state after this lux reading. */
    boolean update(String node, double lux) {
        Boolean was = state.get(node);
        boolean on;
        if (was == null) {
            on = lux >= onLux;
        } else if (was) {
            on = lux >= offLux;
        } else {
            on = lux >= onLux;
        }
        state.put(node, on);
        return on;
    }
}

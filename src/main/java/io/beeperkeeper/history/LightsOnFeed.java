package io.beeperkeeper.history;

import io.beeperkeeper.metric.MetricListener;
import io.beeperkeeper.metric.MetricSample;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The live {@code lights_on} metric: turns each lux sample into lights on (1, "on") or off (0, "off")
 * with the configured hysteresis ({@code history.lightsOnLux}/{@code lightsOffLux}), the same rule the
 * store uses for its derived rows, and hands it on (to the latest values and the page's stream), so
 * the page says "lights on" exactly when the history shades the chart. A lux sample older than the
 * newest one of its node (replayed from a node's queue after an outage) does not change the state.
 */
public final class LightsOnFeed implements MetricListener {
    private final LightsDetector lights;
    private final MetricListener out;
    private final Map<String, Instant> newest = new HashMap<>();

    public LightsOnFeed(double onLux, double offLux, MetricListener out) {
        this.lights = new LightsDetector(onLux, offLux);
        this.out = Objects.requireNonNull(out);
    }

    @Override
    public void onSample(MetricSample sample) {
        if (!LightsDetector.isLux(sample)) {
            return;
        }
        MetricSample lightsOn;
        synchronized (this) {
            Instant last = newest.get(sample.node());
            if (last != null && sample.time().isBefore(last)) {
                return;
            }
            newest.put(sample.node(), sample.time());
            lightsOn = lights.lightsOn(sample);
        }
        out.onSample(lightsOn);
    }
}

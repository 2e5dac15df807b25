package io.beeperkeeper.alerts;

import io.beeperkeeper.metric.MetricListener;
import io.beeperkeeper.metric.MetricSample;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The temperature-humidity index (THI) as a derived metric {@code thi}: from each node's latest
 * temperature (°C) and relative humidity (%), both at most {@link #MAX_AGE} apart,
 * <pre>THI = 0.8 T + (RH / 100) (T - 14.4) + 46.4</pre>
 * (Thom's index in the form of NRC 1971, the one livestock heat-stress charts use). It gives
 * 28 °C at 90 % RH as 81.0, which OMAFRA's heat-stress app rates an emergency for layers.
 * Each new THI goes to {@code out} (the metric bus, so it is stored, charted and checked like any metric).
 */
final class Thi implements MetricListener {
    public static final String METRIC = "thi";
    static final Duration MAX_AGE = Duration.ofMinutes(5);

    private final MetricListener out;
    private final Map<String, MetricSample[]> latest = new HashMap<>();

    public Thi(MetricListener out) {
        this.out = out;
    }

    public static double of(double celsius, double relativeHumidity) {
        return 0.8 * celsius + relativeHumidity / 100.0 * (celsius - 14.4) + 46.4;
    }

    @Override
    public void onSample(MetricSample s) {
        int i = s.metric().equals("temperature") ? 0 : s.metric().equals("humidity") ? 1 : -1;
        if (i < 0) {
            return;
        }
        MetricSample derived;
        synchronized (latest) {
            MetricSample[] pair = latest.computeIfAbsent(s.node(), n -> new MetricSample[2]);
            pair[i] = s;
            MetricSample other = pair[1 - i];
            if (other == null || Duration.between(other.time(), s.time()).abs().compareTo(MAX_AGE) > 0) {
                return;
            }
            double t = pair[0].value();
            double rh = pair[1].value();
            if (rh < 0 || rh > 100) {
                return;
            }
            double thi = Math.round(of(t, rh) * 10) / 10.0;
            derived = new MetricSample(s.node(), METRIC, thi, "", s.time().isAfter(other.time()) ? s.time() : other.time(), null,
                    pair[0].simulated() || pair[1].simulated()); // simulated in, simulated out
        }
        out.onSample(derived);
    }
}

package io.beeperkeeper.metric;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Hands every accepted sample to every feature that listens (history, live page, alerts). One listener
 * that throws is logged and skipped, so a bug in one feature never starves the others.
 */
public final class MetricBus implements MetricListener {
    private static final Logger log = LoggerFactory.getLogger(MetricBus.class);

    private final List<MetricListener> listeners = new CopyOnWriteArrayList<>();

    public void add(MetricListener listener) {
        listeners.add(listener);
    }

    @Override
    public void onSample(MetricSample sample) {
        for (MetricListener l : listeners) {
            try {
                l.onSample(sample);
            } catch (RuntimeException e) {
                log.warn("a listener failed on {}: {}", sample.metric(), e.toString());
            }
        }
    }
}

package io.beeperkeeper.telemetry;

import io.beeperkeeper.metric.MetricSample;
import io.beeperkeeper.metric.MetricListener;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** The newest sample of each metric of each node, for /api/metrics/latest and new pages. */
public final class LatestMetrics implements MetricListener {
    private final Map<String, MetricSample> latest = new ConcurrentHashMap<>();
    private final String localNode;

    public LatestMetrics(String localNode) {
        this.localNode = localNode;
    }

    @Override
    public void onSample(MetricSample sample) {
        latest.merge(key(sample), sample, (old, neu) -> neu.time().isBefore(old.time()) ? old : neu);
    }

    /** Keyed by metric name for the local node, by "node/metric" for other nodes; sorted. */
    public Map<String, MetricSample> snapshot() {
        return new TreeMap<>(latest);
    }

    private String key(MetricSample s) {
        return s.node().equals(localNode) ? s.metric() : s.node() + "/" + s.metric();
    }
}

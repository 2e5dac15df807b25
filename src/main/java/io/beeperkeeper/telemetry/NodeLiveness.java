package io.beeperkeeper.telemetry;

import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.health.HealthCheck;
import io.beeperkeeper.metric.MetricListener;
import io.beeperkeeper.metric.MetricSample;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether each configured remote node ({@code mqtt.acceptNodes}) is still talking: one health entry
 * {@code node.<name>} per node, down once nothing has come from it for {@code mqtt.nodeOfflineMinutes}
 * (counted from the hub's start for a node never heard from). "Heard from" is when the hub accepted one
 * of its readings, by the hub's clock, so a node whose own clock is wrong still counts as alive. The
 * alerts' node rules read these entries.
 */
final class NodeLiveness implements MetricListener {
    private final Set<String> nodes;
    private final Duration timeout;
    private final Clock clock;
    private final Map<String, Instant> lastHeard = new ConcurrentHashMap<>();
    private volatile Instant since;

    NodeLiveness(Set<String> nodes, Duration timeout, Clock clock) {
        this.nodes = new TreeSet<>(nodes);
        this.timeout = timeout;
        this.clock = clock;
    }

    /** From now on a node that stays silent for the timeout is offline. */
    void start() {
        since = clock.instant();
    }

    @Override
    public void onSample(MetricSample s) {
        if (s.node() != null && nodes.contains(s.node())) {
            lastHeard.put(s.node(), clock.instant());
        }
    }

    /** One entry per configured node, registered before start. */
    List<HealthCheck> health() {
        List<HealthCheck> out = new ArrayList<>();
        for (String n : nodes) {
            out.add(new HealthCheck("node." + n, () -> health(n)));
        }
        return out;
    }

    ComponentHealth health(String node) {
        Instant start = since;
        if (start == null) {
            return ComponentHealth.starting("not started");
        }
        Instant now = clock.instant();
        Instant heard = lastHeard.get(node);
        if (heard == null) {
            Duration waited = Duration.between(start, now);
            return waited.compareTo(timeout) < 0 ? ComponentHealth.starting("no reading from node " + node + " yet")
                    : ComponentHealth.down("no reading from node " + node + " since the hub started " + ago(waited)
                    + " (is it running, and does it publish to this broker as node '" + node + "'?)");
        }
        Duration silent = Duration.between(heard, now);
        return silent.compareTo(timeout) < 0 ? ComponentHealth.up("last reading " + ago(silent))
                : ComponentHealth.down("no reading from node " + node + " for " + ago(silent).replace(" ago", ""));
    }

    private static String ago(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s < 120 ? s + " s ago" : s / 60 + " min ago";
    }
}

package io.beeperkeeper.telemetry;

import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.metric.MetricListener;
import io.beeperkeeper.metric.MetricSample;
import io.beeperkeeper.sensor.ReadingKind;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The hub's ear on the broker: subscribes to every topic under the prefix, decodes the readings of
 * this node ({@code beeper/<suffix>} or {@code beeper/<node>/<suffix>}) and of the nodes it was told
 * to accept, and hands each metric sample to the listeners. Everything else on a reading topic is
 * refused and counted per {@link Refusal} reason: another node's name (so a publisher cannot grow the
 * hub's series without bound), a malformed, implausible or mis-stamped payload. A refusal is logged at
 * most once a minute per topic; unknown fields are left out and counted. Never fatal.
 */
public final class TelemetrySubscriber {
    private static final Logger log = LoggerFactory.getLogger(TelemetrySubscriber.class);

    private final ReadingCodec codec;
    private final String topicPrefix;
    private final String localNode;
    private final Set<String> acceptedNodes;
    private final Clock clock;
    private final ThrottledLog refusalLog;
    private final List<MetricListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong ignoredFields = new AtomicLong();
    private final Map<Refusal, AtomicLong> refused = new EnumMap<>(Refusal.class);

    /** @param acceptedNodes other nodes whose readings the hub takes (besides its own) */
    public TelemetrySubscriber(ReadingCodec codec, String topicPrefix, String localNode, Set<String> acceptedNodes, Clock clock) {
        this.codec = codec;
        this.topicPrefix = topicPrefix;
        this.localNode = localNode;
        this.acceptedNodes = Set.copyOf(acceptedNodes);
        this.clock = clock;
        this.refusalLog = new ThrottledLog(log, clock, Duration.ofMinutes(1), 1000);
        for (Refusal r : Refusal.values()) {
            refused.put(r, new AtomicLong());
        }
    }

    public void addListener(MetricListener listener) {
        listeners.add(listener);
    }

    public void attach(MqttLink link) {
        link.subscribe(topicPrefix + "/#", 0, this::onMessage);
    }

    void onMessage(String topic, MqttMessage message) {
        onMessage(topic, message.getPayload());
    }

    /** Handles one message; public for tests that bypass the network. */
    public void onMessage(String topic, byte[] payload) {
        String rest = topic.startsWith(topicPrefix + "/") ? topic.substring(topicPrefix.length() + 1) : null;
        if (rest == null) {
            return;
        }
        String node = localNode;
        ReadingKind kind = ReadingKind.fromTopicSuffix(rest);
        if (kind == null) {
            int slash = rest.indexOf('/');
            if (slash > 0) {
                kind = ReadingKind.fromTopicSuffix(rest.substring(slash + 1));
                node = rest.substring(0, slash);
            }
        }
        if (kind == null) {
            return; // not a reading topic (status, discovery, commands)
        }
        if (!node.equals(localNode) && !acceptedNodes.contains(node)) {
            refuse(topic, Refusal.UNKNOWN_NODE, "node '" + node + "' is not this hub's (" + localNode
                    + ") and not in mqtt.acceptNodes");
            return;
        }
        ReadingCodec.Decoded decoded;
        try {
            decoded = codec.decode(node, kind, payload, clock.instant());
        } catch (ReadingCodec.BadPayloadException e) {
            refuse(topic, e.reason(), e.getMessage());
            return;
        }
        received.incrementAndGet();
        if (decoded.ignoredFields() > 0) {
            ignoredFields.addAndGet(decoded.ignoredFields());
        }
        for (MetricSample s : decoded.samples()) {
            for (MetricListener l : listeners) {
                try {
                    l.onSample(s);
                } catch (RuntimeException e) {
                    log.warn("metric listener {} failed on {}: {}", l.getClass().getSimpleName(), s.metric(), e.toString());
                }
            }
        }
    }

    private void refuse(String topic, Refusal reason, String why) {
        long n = refused.get(reason).incrementAndGet();
        refusalLog.warn(topic, "refused MQTT message on {}: {} [{} #{}]", why, reason.label(), n);
    }

    /** Messages accepted as readings. */
    public long received() {
        return received.get();
    }

    /** Messages refused, all reasons together. */
    public long rejected() {
        return refused.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Refusals per reason label, every reason listed (zeros too), in a fixed order. */
    public Map<String, Long> refusals() {
        Map<String, Long> out = new LinkedHashMap<>();
        refused.forEach((r, n) -> out.put(r.label(), n.get()));
        return out;
    }

    /** Fields of accepted messages that the hub does not know, left out. */
    public long ignoredFields() {
        return ignoredFields.get();
    }

    /** The "readings" entry of /api/health: what came in, what was refused and why. */
    public ComponentHealth health() {
        String refusals = refusals().entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        return ComponentHealth.up(received() + " accepted; refused " + rejected()
                + (refusals.isEmpty() ? "" : " (" + refusals + ")") + "; " + ignoredFields() + " unknown fields ignored");
    }
}

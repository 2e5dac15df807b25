package io.beeperkeeper.telemetry;

import io.beeperkeeper.mqtt.MqttLink;
import io.beeperkeeper.feature.Threads;
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
 * most once a minute per topic; unknown fields are left out and counted. Never fatal. Messages arrive
 * at QoS 1 through a bounded {@link InboundQueue} handled on one thread of its own, so listeners never
 * hold up the MQTT connection, and a message lost to a full queue is counted too. The hub's own
 * readings reach the listeners straight from its publisher ({@link #published}), not through the
 * broker; their copies coming back from the broker are skipped ({@link OwnEchoes}).
 */
final class TelemetrySubscriber implements AutoCloseable, TelemetryPublisher.LiveReadings {
    private static final Logger log = LoggerFactory.getLogger(TelemetrySubscriber.class);
    static final int QUEUE_MESSAGES = 10_000;
    static final long QUEUE_BYTES = 8L * 1024 * 1024;
    /** How long MQTT's thread waits for room before a message is dropped (the broker holds QoS 1 meanwhile). */
    static final long QUEUE_WAIT_MILLIS = 2000;

    private final ReadingCodec codec;
    private final String topicPrefix;
    private final String localNode;
    private final Set<String> acceptedNodes;
    private final Clock clock;
    private final ThrottledLog refusalLog;
    private final List<MetricListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong ignoredFields = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final Map<Refusal, AtomicLong> refused = new EnumMap<>(Refusal.class);
    private final InboundQueue inbound = new InboundQueue(QUEUE_MESSAGES, QUEUE_BYTES);
    /** The hub's own readings it handed its listeners itself, expected back from the broker (~30 minutes' worth). */
    private final OwnEchoes ownEchoes = new OwnEchoes(4096);
    private final AtomicLong echoesSkipped = new AtomicLong();
    private volatile Thread worker;

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

    /**
     * Subscribes at QoS 1, so the broker keeps the hub's readings for it instead of dropping them when
     * the hub is busy; the link's thread only queues them ({@link InboundQueue}). Only the reading
     * topics, the seed's {@code prefix/<suffix>} and the nodes' {@code prefix/<node>/<suffix>}: the
     * other messages under the prefix (Home Assistant's copies of every reading, statuses, motion
     * states) would each cost the hub a delivery it throws away.
     */
    public void attach(MqttLink link) {
        for (ReadingKind kind : ReadingKind.values()) {
            link.subscribe(topicPrefix + "/" + kind.topicSuffix(), 1, this::deliver);
            link.subscribe(topicPrefix + "/+/" + kind.topicSuffix(), 1, this::deliver);
        }
    }

    /** Starts the thread that handles queued messages. */
    public void start() {
        if (worker == null) {
            worker = Threads.start("mqtt-readings", this::work);
        }
    }

    /** Stops handling; what is still queued is dropped with the process. */
    @Override
    public void close() {
        inbound.close();
        Thread w = worker;
        if (w != null) {
            w.interrupt();
        }
    }

    private void deliver(String topic, MqttMessage message) {
        if (readingTopic(topicPrefix, topic) != null) {
            delivered.incrementAndGet();
        }
        if (ownEchoes.take(topic, message.getPayload())) {
            echoesSkipped.incrementAndGet(); // handed to the listeners already (deliverOwn)
            return;
        }
        queue(topic, message.getPayload());
    }

    /**
     * A reading of this hub's own sensors, about to be published on {@code topic}: the hub's listeners
     * get it from here, on the same handling thread as the broker's messages and decoded the same way,
     * and the broker's copy of it is skipped when it comes back. Call {@link #published} or
     * {@link #notPublished} once the publish is done.
     */
    @Override
    public void publishing(String topic, byte[] payload) {
        ownEchoes.expect(topic, payload);
    }

    /** The reading went to the broker: the listeners get it now, without waiting for the broker's copy. */
    @Override
    public void published(String topic, byte[] payload) {
        queue(topic, payload);
    }

    /** The reading did not reach the broker (it waits on disk): its copy will come back when it is sent, and counts then. */
    @Override
    public void notPublished(String topic, byte[] payload) {
        ownEchoes.take(topic, payload);
    }

    private void queue(String topic, byte[] payload) {
        try {
            if (!inbound.put(new InboundQueue.Message(topic, payload), QUEUE_WAIT_MILLIS)) {
                refusalLog.warn(topic, "dropped MQTT message on {}: the hub's inbound queue is full ({} messages or {} bytes) [{} dropped]",
                        inbound.capacity(), QUEUE_BYTES, inbound.dropped());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void work() {
        try {
            InboundQueue.Message m;
            while ((m = inbound.take()) != null) {
                try {
                    onMessage(m.topic(), m.payload());
                } catch (RuntimeException e) {
                    log.warn("handling MQTT message on {} failed: {}", m.topic(), e.toString());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A reading topic's node ({@code null} for this hub's seed topics) and kind. */
    record ReadingTopic(String node, ReadingKind kind) {
    }

    /** The reading a topic carries, or null for any other topic (status, discovery, commands). */
    static ReadingTopic readingTopic(String topicPrefix, String topic) {
        if (!topic.startsWith(topicPrefix + "/")) {
            return null;
        }
        String rest = topic.substring(topicPrefix.length() + 1);
        ReadingKind kind = ReadingKind.fromTopicSuffix(rest);
        if (kind != null) {
            return new ReadingTopic(null, kind);
        }
        int slash = rest.indexOf('/');
        if (slash > 0) {
            kind = ReadingKind.fromTopicSuffix(rest.substring(slash + 1));
            if (kind != null) {
                return new ReadingTopic(rest.substring(0, slash), kind);
            }
        }
        return null;
    }

    /** Handles one message; public for tests that bypass the network. */
    public void onMessage(String topic, byte[] payload) {
        ReadingTopic rt = readingTopic(topicPrefix, topic);
        if (rt == null) {
            return;
        }
        String node = rt.node() == null ? localNode : rt.node();
        ReadingKind kind = rt.kind();
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

    /** Messages refused for this reason. */
    long refused(Refusal reason) {
        return refused.get(reason).get();
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

    /** Messages on reading topics the broker delivered to the hub (handled, queued or dropped). */
    public long delivered() {
        return delivered.get();
    }

    /** Copies of the hub's own readings the broker sent back, skipped (the listeners had them already). */
    long echoesSkipped() {
        return echoesSkipped.get();
    }

    /** Messages lost because the inbound queue stayed full. */
    public long dropped() {
        return inbound.dropped();
    }

    /** The "readings" entry of /api/health: what came in, what was refused and why, what was lost. */
    public ComponentHealth health() {
        String refusals = refusals().entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        String detail = received() + " accepted; refused " + rejected()
                + (refusals.isEmpty() ? "" : " (" + refusals + ")") + "; " + ignoredFields() + " unknown fields ignored; "
                + inbound.size() + " waiting, " + dropped() + " dropped (inbound queue full)";
        return dropped() > 0 ? ComponentHealth.degraded(detail) : ComponentHealth.up(detail);
    }
}

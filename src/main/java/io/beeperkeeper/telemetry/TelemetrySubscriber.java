package io.beeperkeeper.telemetry;

import io.beeperkeeper.metric.MetricSample;
import io.beeperkeeper.metric.MetricListener;
import io.beeperkeeper.sensor.ReadingKind;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hub's ear on the broker: subscribes to every topic under the prefix, decodes the readings of
 * any node ({@code beeper/<suffix>} is the local node, {@code beeper/<node>/<suffix>} another) and
 * hands each metric sample to the listeners. Malformed payloads are logged (rate-limited) and
 * counted, never fatal.
 */
public final class TelemetrySubscriber {
    private static final Logger log = LoggerFactory.getLogger(TelemetrySubscriber.class);

    private final ReadingCodec codec;
    private final String topicPrefix;
    private final String localNode;
    private final Clock clock;
    private final List<MetricListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    public TelemetrySubscriber(ReadingCodec codec, String topicPrefix, String localNode, Clock clock) {
        this.codec = codec;
        this.topicPrefix = topicPrefix;
        this.localNode = localNode;
        this.clock = clock;
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
        List<MetricSample> samples;
        try {
            samples = codec.decode(node, kind, payload, clock.instant());
        } catch (ReadingCodec.BadPayloadException e) {
            if (rejected.incrementAndGet() % 100 == 1) {
                log.warn("refused MQTT message on {}: {} ({} refused so far)", topic, e.getMessage(), rejected.get());
            }
            return;
        }
        received.incrementAndGet();
        for (MetricSample s : samples) {
            for (MetricListener l : listeners) {
                try {
                    l.onSample(s);
                } catch (RuntimeException e) {
                    log.warn("metric listener {} failed on {}: {}", l.getClass().getSimpleName(), s.metric(), e.toString());
                }
            }
        }
    }

    public long received() {
        return received.get();
    }

    public long rejected() {
        return rejected.get();
    }
}

package io.beeperkeeper.telemetry;

import io.beeperkeeper.mqtt.MqttLink;
import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.sensor.Reading;
import io.beeperkeeper.sensor.ReadingSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes each reading (QoS 1) on its topic as the seed's JSON payload, and loses none while the broker
 * is away: a reading that cannot be delivered goes to a bounded on-disk {@link DiskQueue}, and as long as
 * anything waits there new readings queue behind it, so delivery stays in order. The queue drains after
 * every reconnect (and is re-checked every few seconds). A full queue drops its oldest reading and
 * counts it; a reading that has waited longer than the retention ({@code mqtt.queueMaxAgeHours}) is left
 * out of the replay and counted, as the hub would refuse it. With Home Assistant discovery on, each
 * live reading is also kept (retained) on {@link TopicLayout#homeAssistantTopic}, which replays never
 * reach.
 */
final class TelemetryPublisher implements ReadingSink {
    /** Where live readings go: the node's MQTT link, or the embedded broker straight from inside the hub. */
    interface Channel {
        boolean publish(String topic, byte[] payload, int qos, boolean retained);
    }

    /** Who is told of each reading published live (the hub's own subscriber, which hands it to its listeners). */
    interface LiveReadings {
        LiveReadings NONE = new LiveReadings() {
        };

        /** Before the publish: a copy may come back from the broker at once. */
        default void publishing(String topic, byte[] payload) {
        }

        default void published(String topic, byte[] payload) {
        }

        /** The broker did not take it: it waits on disk. */
        default void notPublished(String topic, byte[] payload) {
        }
    }

    private static final Logger log = LoggerFactory.getLogger(TelemetryPublisher.class);
    private static final int BATCH = 100;

    private final MqttLink link;
    private final ReadingCodec codec;
    private final TopicLayout topics;
    private final DiskQueue queue;
    private final Object lock = new Object();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final Clock clock;
    private final boolean homeAssistant;
    private final LiveReadings live;
    private final Channel channel;
    private volatile boolean announcedQueueing;

    public TelemetryPublisher(MqttLink link, ReadingCodec codec, TopicLayout topics, DiskQueue queue, Clock clock) {
        this(link, codec, topics, queue, clock, false);
    }

    /** @param homeAssistant also keep Home Assistant's state topics at the latest live reading */
    public TelemetryPublisher(MqttLink link, ReadingCodec codec, TopicLayout topics, DiskQueue queue, Clock clock, boolean homeAssistant) {
        this(link, codec, topics, queue, clock, homeAssistant, LiveReadings.NONE, link::publish);
    }

    /**
     * @param live    told of each reading published live, not of those replayed from the disk queue
     * @param channel where live readings are published (replays from the disk queue always go over the link)
     */
    TelemetryPublisher(MqttLink link, ReadingCodec codec, TopicLayout topics, DiskQueue queue, Clock clock, boolean homeAssistant,
                       LiveReadings live, Channel channel) {
        this.live = live;
        this.channel = channel;
        this.homeAssistant = homeAssistant;
        this.clock = clock;
        this.link = link;
        this.codec = codec;
        this.topics = topics;
        this.queue = queue;
        link.onConnect(this::drain);
    }

    @Override
    public void accept(Reading reading) {
        String topic = topics.topic(reading.kind());
        byte[] payload = codec.encode(reading);
        synchronized (lock) {
            boolean now = queue.isEmpty();
            if (now) {
                live.publishing(topic, payload);
            }
            if (now && channel.publish(topic, payload, 1, false)) {
                published.incrementAndGet();
                live.published(topic, payload);
                if (homeAssistant) {
                    // live, so it is current: Home Assistant's copy (replays from the queue never go there)
                    channel.publish(topics.homeAssistantTopic(reading.kind()), payload, 0, true);
                }
                return;
            }
            if (now) {
                live.notPublished(topic, payload);
            }
            try {
                queue.add(new DiskQueue.Message(topic, payload, false));
                queued.incrementAndGet();
            } catch (UncheckedIOException e) {
                log.warn("reading on {} lost: {}", topic, e.getMessage());
                return;
            }
        }
        if (!announcedQueueing) {
            announcedQueueing = true;
            log.warn("MQTT broker unreachable: keeping readings on disk ({} waiting, at most {} kept)", queue.size(), queue.capacity());
        }
        if (link.connected()) {
            drain();
        }
    }

    /** Delivers what waits on disk, oldest first, until done or the broker goes away again. */
    public void drain() {
        synchronized (lock) {
            long before = queue.size();
            while (!queue.isEmpty() && link.connected()) {
                List<DiskQueue.Message> batch = queue.peek(BATCH);
                int sent = 0;
                Instant oldest = clock.instant().minus(codec.limits().maxAge());
                for (DiskQueue.Message m : batch) {
                    if (codec.timestampOf(m.payload()).map(t -> t.isBefore(oldest)).orElse(false)) {
                        expired.incrementAndGet(); // the hub would refuse it as too old
                        sent++;
                        continue;
                    }
                    if (!link.publish(m.topic(), m.payload(), 1, m.retained())) {
                        break;
                    }
                    published.incrementAndGet();
                    sent++;
                }
                queue.acknowledge(sent);
                if (sent < batch.size()) {
                    break;
                }
            }
            if (before > 0 && queue.isEmpty()) {
                announcedQueueing = false;
                log.info("MQTT broker back: {} queued readings handled ({} dropped while it was away, {} too old to send, in all)",
                        before, queue.dropped(), expired.get());
            }
        }
    }

    public long published() {
        return published.get();
    }

    /** Readings that had to wait on disk. */
    public long queued() {
        return queued.get();
    }

    /** Readings waiting now. */
    public long waiting() {
        return queue.size();
    }

    /** Queued readings left out of the replay because they had grown older than the queue's retention. */
    public long expired() {
        return expired.get();
    }

    /** Readings dropped because the queue was full (oldest first). */
    public long dropped() {
        return queue.dropped();
    }

    public ComponentHealth health() {
        if (queue.isEmpty()) {
            return ComponentHealth.up(published() + " readings published");
        }
        return ComponentHealth.down(queue.size() + " readings waiting for the broker, " + queue.dropped() + " dropped");
    }
}

package io.beeperkeeper.telemetry;

import io.beeperkeeper.sensor.Reading;
import io.beeperkeeper.sensor.ReadingSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/** Publishes each reading on its seed topic (prefix + kind's suffix) as the seed's JSON payload. */
public final class TelemetryPublisher implements ReadingSink {
    private static final Logger log = LoggerFactory.getLogger(TelemetryPublisher.class);

    private final MqttLink link;
    private final ReadingCodec codec;
    private final String topicPrefix;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    public TelemetryPublisher(MqttLink link, ReadingCodec codec, String topicPrefix) {
        this.link = link;
        this.codec = codec;
        this.topicPrefix = topicPrefix;
    }

    @Override
    public void accept(Reading reading) {
        String topic = topicPrefix + "/" + reading.kind().topicSuffix();
        if (link.publish(topic, codec.encode(reading), 0, false)) {
            published.incrementAndGet();
        } else if (dropped.incrementAndGet() % 100 == 1) {
            log.warn("broker unreachable: reading on {} dropped ({} dropped so far)", topic, dropped.get());
        }
    }

    public long published() {
        return published.get();
    }

    public long dropped() {
        return dropped.get();
    }
}

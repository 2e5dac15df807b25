package io.beeperkeeper.telemetry;

import io.beeperkeeper.mqtt.MqttLink;
import io.beeperkeeper.Ports;
import io.beeperkeeper.feature.Json;
import io.beeperkeeper.sensor.Reading;
import io.beeperkeeper.sensor.ReadingKind;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Readings that waited on disk longer than the retention are not replayed (the hub would refuse them). */
class QueueRetentionTest {
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void readingsOlderThanTheRetentionAreLeftOutOfTheReplayAndCounted(@TempDir Path dir) throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker("127.0.0.1", Ports.freePort())) {
            broker.start();
            List<String> seen = new CopyOnWriteArrayList<>();
            MqttClient probe = new MqttClient(broker.url(), "probe", new MemoryPersistence());
            probe.connect();
            probe.subscribe("beeper/#", 1, (t, m) -> seen.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
            try (MqttLink link = new MqttLink(broker.url(), "node-pub", "", "")) {
                TelemetryPublisher publisher = new TelemetryPublisher(link, new ReadingCodec(Json.newMapper(), ReadingLimits.ofHours(72)),
                        new TopicLayout("beeper", "coop1", false), new DiskQueue(dir.resolve("queue"), 100),
                        Clock.fixed(NOW, ZoneOffset.UTC));
                // not connected yet: both wait on disk
                publisher.accept(new Reading(ReadingKind.BME680, NOW.minus(Duration.ofHours(100)), Map.of("temperature", 1.0)));
                publisher.accept(new Reading(ReadingKind.BME680, NOW.minus(Duration.ofHours(1)), Map.of("temperature", 2.0)));
                assertThat(publisher.waiting()).isEqualTo(2);
                link.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> publisher.waiting() == 0 && !seen.isEmpty());
                assertThat(seen).singleElement().asString().startsWith("{\"temperature\":2.0");
                assertThat(publisher.expired()).isEqualTo(1);
            } finally {
                probe.disconnect();
                probe.close();
            }
        }
    }
}

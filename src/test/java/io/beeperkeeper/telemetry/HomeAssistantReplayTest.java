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

/**
 * Home Assistant has no timestamp: readings replayed from the disk queue after an outage reach the
 * reading topics (history, Telegraf) but never Home Assistant's state topics, which only live readings
 * update.
 */
class HomeAssistantReplayTest {
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void replayedReadingsNeverReachHomeAssistantAsCurrent(@TempDir Path dir) throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker("127.0.0.1", Ports.freePort())) {
            broker.start();
            List<String> readings = new CopyOnWriteArrayList<>();
            List<String> homeAssistant = new CopyOnWriteArrayList<>();
            MqttClient probe = new MqttClient(broker.url(), "probe", new MemoryPersistence());
            probe.connect();
            probe.subscribe("beeper/coop1/sensors/bme680/all", 1, (t, m) -> readings.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
            probe.subscribe("beeper/coop1/ha/sensors/bme680/all", 1, (t, m) -> homeAssistant.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
            TopicLayout topics = new TopicLayout("beeper", "coop1", false);
            try (MqttLink link = new MqttLink(broker.url(), "node-pub", "", "")) {
                TelemetryPublisher publisher = new TelemetryPublisher(link, new ReadingCodec(Json.newMapper(), ReadingLimits.ofHours(72)),
                        topics, new DiskQueue(dir.resolve("queue"), 100), Clock.fixed(NOW, ZoneOffset.UTC), true);
                // the broker is away: two readings wait on disk
                publisher.accept(new Reading(ReadingKind.BME680, NOW.minusSeconds(600), Map.of("temperature", 1.0)));
                publisher.accept(new Reading(ReadingKind.BME680, NOW.minusSeconds(300), Map.of("temperature", 2.0)));
                link.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> publisher.waiting() == 0 && readings.size() == 2);
                // live again: the next reading is current, and only it reaches Home Assistant
                publisher.accept(new Reading(ReadingKind.BME680, NOW, Map.of("temperature", 3.0)));
                await().atMost(Duration.ofSeconds(30)).until(() -> readings.size() == 3 && homeAssistant.size() == 1);
                assertThat(homeAssistant).singleElement().asString().startsWith("{\"temperature\":3.0");
                // and the discovery configs point Home Assistant there
                assertThat(new String(new HomeAssistantDiscovery(Json.newMapper(), "coop1", "t").configs(topics::homeAssistantTopic,
                        topics.availabilityTopic()).get(0).payload(), StandardCharsets.UTF_8))
                        .contains("\"state_topic\":\"beeper/coop1/ha/sensors/bme680/all\"");
            } finally {
                probe.disconnect();
                probe.close();
            }
        }
    }
}

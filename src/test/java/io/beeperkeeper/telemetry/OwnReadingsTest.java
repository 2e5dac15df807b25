package io.beeperkeeper.telemetry;

import io.beeperkeeper.Ports;
import io.beeperkeeper.config.MqttConfig;
import io.beeperkeeper.feature.Json;
import io.beeperkeeper.metric.MetricSample;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hub's own readings reach its listeners (history, page, alerts) once, straight from its publisher,
 * while the broker still carries them to outside subscribers; a reading another program publishes on
 * the very same topic still reaches the hub through its subscription.
 */
class OwnReadingsTest {
    @Test
    void ownReadingsCountOnceAndOutsideReadingsOnTheSameTopicStillArrive(@TempDir Path dir) throws Exception {
        MqttConfig config = new MqttConfig("embedded", "127.0.0.1", Ports.freePort(), "", "", "", "beeper", "beeper-hub",
                "", true, 1000, false, 72, "", 200, 5);
        List<Double> humidity = new CopyOnWriteArrayList<>();
        try (TelemetryFeature telemetry = new TelemetryFeature(config, dir, "hub", "test", Json.newMapper(), Clock.systemUTC(),
                (MetricSample s) -> {
                    if (s.metric().equals("humidity")) {
                        humidity.add(s.value());
                    }
                }, new io.micrometer.core.instrument.simple.SimpleMeterRegistry())) {
            telemetry.start();
            List<String> onBroker = new CopyOnWriteArrayList<>();
            MqttClient outside = new MqttClient(telemetry.url(), "outside", new MemoryPersistence());
            outside.connect();
            outside.subscribe("beeper/sensors/bme680/all", 1, (t, m) -> onBroker.add(new String(m.getPayload(), StandardCharsets.UTF_8)));

            telemetry.accept(new Reading(ReadingKind.BME680, Instant.now(), Map.of("temperature", 21.5, "humidity", 55.5)));
            TelemetrySubscriber subscriber = telemetry.subscriber();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(onBroker).as("outside subscribers still get the hub's readings").anyMatch(p -> p.contains("55.5"));
                assertThat(subscriber.echoesSkipped()).as("the broker's copy came back to the hub and was skipped").isEqualTo(1);
                assertThat(humidity).containsExactly(55.5);
            });

            outside.publish("beeper/sensors/bme680/all", "{\"humidity\":44.4}".getBytes(StandardCharsets.UTF_8), 1, false);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(humidity).containsExactly(55.5, 44.4));
            assertThat(subscriber.received()).isEqualTo(2);
            assertThat(telemetry.lostInDelivery()).isZero();
            outside.disconnect();
            outside.close();
        }
    }

    @Test
    void aCopyIsSkippedOnlyAsOftenAsItWasExpected() {
        OwnEchoes echoes = new OwnEchoes(2);
        byte[] payload = "{\"humidity\":1}".getBytes(StandardCharsets.UTF_8);
        echoes.expect("t", payload);
        assertThat(echoes.take("other", payload)).isFalse();
        assertThat(echoes.take("t", "{\"humidity\":2}".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(echoes.take("t", payload.clone())).isTrue();
        assertThat(echoes.take("t", payload)).isFalse();
        echoes.expect("a", payload);
        echoes.expect("b", payload);
        echoes.expect("c", payload);
        assertThat(echoes.size()).isEqualTo(2);
        assertThat(echoes.take("a", payload)).as("the oldest forgotten").isFalse();
        assertThat(echoes.take("c", payload)).isTrue();
    }
}

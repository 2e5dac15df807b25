package io.beeperkeeper.telemetry;

import io.beeperkeeper.Ports;
import io.beeperkeeper.config.MqttConfig;
import io.beeperkeeper.feature.Json;
import io.beeperkeeper.metric.MetricSample;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A flood of malformed messages from one client must not cost the readings a node sends alongside:
 * every valid reading reaches the hub's listeners (history, page), and every message that does not is
 * counted somewhere the keeper can see (/api/health).
 */
class FloodTest {
    static final int MALFORMED = 10_000;
    static final int VALID = 500;

    @Test
    void validReadingsSurviveAFloodOfMalformedOnesAndEveryLossIsCounted(@TempDir Path dir) throws Exception {
        int port = Ports.freePort();
        MqttConfig config = new MqttConfig("embedded", "127.0.0.1", port, "", "", "", "beeper", "beeper-hub",
                "", true, 1000, false, 72, "", 200, 5);
        Set<Double> valid = ConcurrentHashMap.newKeySet();
        try (TelemetryFeature telemetry = new TelemetryFeature(config, dir, "hub", "test", Json.newMapper(), Clock.systemUTC(),
                (MetricSample s) -> {
                    if (s.metric().equals("humidity")) {
                        valid.add(s.value());
                    }
                }, new io.micrometer.core.instrument.simple.SimpleMeterRegistry())) {
            telemetry.start();
            String url = telemetry.url();
            long start = System.nanoTime();
            CompletableFuture<Void> vandal = CompletableFuture.runAsync(() -> publish(url, "vandal", 0, MALFORMED,
                    i -> "{\"humidity\":" + i + ",broken"));
            // a node publishes as the hub's own publisher does: QoS 1, one reading after the other
            CompletableFuture<Void> node = CompletableFuture.runAsync(() -> publish(url, "coop-node", 1, VALID,
                    i -> "{\"humidity\":" + (i / 10.0) + "}"));
            CompletableFuture.allOf(vandal, node).get();
            double sent = (System.nanoTime() - start) / 1e9;

            TelemetrySubscriber readings = telemetry.subscriber();
            EmbeddedBroker broker = telemetry.broker();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(valid.size() + readings.dropped()).isEqualTo(VALID);
                // QoS 0 messages the broker dropped unrouted (its queue full) or accepted but could not
                // deliver to a busy hub are counted too
                assertThat(readings.rejected() + broker.rateLimited() + broker.queueFull() + telemetry.lostInDelivery())
                        .isEqualTo(MALFORMED);
            });
            System.out.printf("flood: %d malformed + %d valid sent in %.1f s; valid received %d, malformed refused by the hub %d,"
                            + " not accepted by the broker (rate limit) %d, dropped by the broker (queue full) %d, dropped (inbound queue full) %d, not delivered by the broker %d%n",
                    MALFORMED, VALID, sent, valid.size(), readings.rejected(), broker.rateLimited(), broker.queueFull(), readings.dropped(), telemetry.lostInDelivery());
            assertThat(valid).hasSize(VALID);
            assertThat(broker.acceptedReadings()).isEqualTo(readings.delivered() + telemetry.lostInDelivery());
            assertThat(broker.health().detail()).contains("vandal");
            assertThat(readings.health().detail()).contains("not_json");
        }
    }

    private static void publish(String url, String clientId, int qos, int count, java.util.function.IntFunction<String> payload) {
        try {
            MqttClient c = new MqttClient(url, clientId, new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setMaxInflight(65_000);
            c.connect(o);
            c.setTimeToWait(30_000);
            for (int i = 0; i < count; i++) {
                c.publish("beeper/sensors/bme680/all", payload.apply(i).getBytes(StandardCharsets.UTF_8), qos, false);
            }
            c.disconnect(30_000);
            c.close();
        } catch (Exception e) {
            throw new IllegalStateException(clientId + ": " + e, e);
        }
    }
}

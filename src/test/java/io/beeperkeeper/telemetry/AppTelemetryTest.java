package io.beeperkeeper.telemetry;

import io.beeperkeeper.App;
import io.beeperkeeper.config.BeeperConfig;
import io.beeperkeeper.config.DataConfig;
import io.beeperkeeper.config.MqttConfig;
import io.beeperkeeper.config.NodeConfig;
import io.beeperkeeper.config.SensorsConfig;
import io.beeperkeeper.config.WebConfig;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The wired process: sensors (drivers or twins) publish per-node topics and Home Assistant discovery. */
class AppTelemetryTest {
    @Test
    void readingsAndDiscoveryOnTheEmbeddedBroker(@TempDir Path dir) throws Exception {
        try (App app = io.beeperkeeper.TestHub.start(dir, java.util.Map.of("node.name", "coop1", "sensors.mode", "simulated",
                "sensors.intervalSeconds", "0.2", "mqtt.seedTopics", "false", "mqtt.queueMaxMessages", "1000"))) {
            MqttClient probe = new MqttClient(app.mqttUrl(), "probe", new MemoryPersistence());
            Set<String> topics = ConcurrentHashMap.newKeySet();
            Set<String> bmePayloads = ConcurrentHashMap.newKeySet();
            // On a loaded machine the broker can still be handling the CONNECT when the SUBSCRIBE comes
            // and close the connection: a client then connects and subscribes again, as this one does.
            await().atMost(java.time.Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                if (!probe.isConnected()) {
                    probe.connect();
                }
                probe.subscribe("#", 1, (t, m) -> {
                    topics.add(t);
                    if (t.equals("beeper/coop1/sensors/bme680/all")) {
                        bmePayloads.add(new String(m.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
                    }
                });
                return probe.isConnected();
            });
            // the broker and the hub on a busy machine: a generous deadline
            await().atMost(java.time.Duration.ofSeconds(60)).pollInterval(java.time.Duration.ofMillis(50)).untilAsserted(() ->
                    assertThat(topics).contains("beeper/coop1/sensors/bme680/all", "beeper/coop1/sensors/cpu/temperature",
                            "beeper/coop1/system/stats", "beeper/coop1/status", "homeassistant/sensor/beeper_coop1_temperature/config"));
            probe.disconnect();
            assertThat(topics).doesNotContain("beeper/sensors/bme680/all");
            // every simulated value says so in its payload
            assertThat(bmePayloads).isNotEmpty().allMatch(p -> p.contains("\"simulated\":true"));
        }
    }
}

package io.beeperkeeper.telemetry;

import io.beeperkeeper.Ports;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The embedded broker as the README's own commands meet it (Mosquitto's command-line clients). */
class EmbeddedBrokerTest {
    static final Path MOSQUITTO_SUB = Path.of("/usr/bin/mosquitto_sub");

    /** {@code mosquitto_sub} sends a zero-byte client id: MQTT 3.1.1 lets the broker assign one. */
    @Test
    void theReadmesMosquittoSubCommandReceivesReadings() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(MOSQUITTO_SUB), "mosquitto_sub not installed (apt-get install mosquitto-clients)");
        int port = Ports.freePort();
        try (EmbeddedBroker broker = new EmbeddedBroker("127.0.0.1", port)) {
            broker.start();
            // the README's line, plus -p for the test's port
            Process sub = new ProcessBuilder(MOSQUITTO_SUB.toString(), "-h", "127.0.0.1", "-p", Integer.toString(port),
                    "-t", "beeper/#", "-v").redirectErrorStream(true).start();
            List<String> lines = new CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(sub.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        lines.add(l);
                    }
                } catch (java.io.IOException ignored) {
                    // the process ended
                }
            });
            reader.setDaemon(true);
            reader.start();
            MqttClient pub = new MqttClient(broker.url(), "test-pub", new MemoryPersistence());
            try {
                pub.connect();
                // mosquitto_sub subscribes some time after it starts: publish until it has heard one
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    assertThat(sub.isAlive()).as("mosquitto_sub still running; its output: %s", lines).isTrue();
                    pub.publish("beeper/sensors/bme680/all", "{\"temperature\":21.5}".getBytes(StandardCharsets.UTF_8), 0, false);
                    assertThat(lines).contains("beeper/sensors/bme680/all {\"temperature\":21.5}");
                });
            } finally {
                if (pub.isConnected()) {
                    pub.disconnectForcibly(1000);
                }
                pub.close();
                sub.destroy();
                if (!sub.waitFor(30, TimeUnit.SECONDS)) {
                    sub.destroyForcibly();
                }
            }
        }
    }
}

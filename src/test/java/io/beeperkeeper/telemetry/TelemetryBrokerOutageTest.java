package io.beeperkeeper.telemetry;

import io.beeperkeeper.mqtt.MqttLink;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.Ports;
import io.beeperkeeper.sensor.Reading;
import io.beeperkeeper.sensor.ReadingKind;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.IAuthenticator;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real broker (Moquette) is stopped for a while: readings taken meanwhile wait on disk and all arrive,
 * in order, once it is back. A separate MQTT client checks what the broker delivers.
 */
class TelemetryBrokerOutageTest {
    private final ObjectMapper json = new ObjectMapper();
    private final int port = Ports.freePort();
    private final AtomicBoolean publisherAdmitted = new AtomicBoolean(true);
    private Server broker;
    private MqttLink link;
    private MqttClient checker;

    private void startBroker() throws Exception {
        Properties p = new Properties();
        p.setProperty("host", "127.0.0.1");
        p.setProperty("port", Integer.toString(port));
        p.setProperty("websocket_port", "disabled");
        p.setProperty("allow_anonymous", "false");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("telemetry_enabled", "false");
        broker = new Server();
        // The gate keeps the publisher out after the restart until the checker listens again.
        IAuthenticator gate = (clientId, user, pass) -> !clientId.equals("node-pub") || publisherAdmitted.get();
        broker.startServer(new MemoryConfig(p), List.of(), null, gate, null);
    }

    private List<JsonNode> listen() throws Exception {
        List<JsonNode> got = new CopyOnWriteArrayList<>();
        checker = new MqttClient("tcp://127.0.0.1:" + port, "checker", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName("checker");
        o.setPassword("x".toCharArray());
        checker.connect(o);
        checker.subscribe("beeper/#", 1, (topic, m) -> {
            if (topic.equals("beeper/coop1/sensors/bme680/all")) {
                got.add(json.readTree(m.getPayload()));
            }
        });
        return got;
    }

    @AfterEach
    void stop() throws Exception {
        if (checker != null && checker.isConnected()) {
            checker.disconnect();
        }
        if (link != null) {
            link.close();
        }
        if (broker != null) {
            broker.stopServer();
        }
    }

    private static Reading reading(int seq) {
        return new Reading(ReadingKind.BME680, Instant.parse("2026-05-01T08:00:00Z").plusSeconds(seq), Map.of("temperature", 20.0, "seq", seq));
    }

    /** How long the test waits for the broker and the link: generous, for a loaded machine. */
    private static final Duration BROKER = Duration.ofSeconds(30);

    @Test
    void everyReadingArrivesInOrderAfterTheBrokerComesBack(@TempDir Path dir) throws Exception {
        startBroker();
        link = new MqttLink("tcp://127.0.0.1:" + port, "node-pub", "node", "secret");
        TelemetryPublisher publisher = new TelemetryPublisher(link, new ReadingCodec(json, ReadingLimits.ofHours(72)),
                new TopicLayout("beeper", "coop1", false), new DiskQueue(dir.resolve("queue"), 10_000),
                java.time.Clock.fixed(Instant.parse("2026-05-01T08:05:00Z"), java.time.ZoneOffset.UTC));
        link.start();
        assertThat(link.awaitConnected(BROKER.toMillis())).isTrue();
        List<JsonNode> before = listen();
        for (int i = 0; i < 10; i++) {
            publisher.accept(reading(i));
        }
        await().atMost(BROKER).until(() -> before.size() >= 10);
        assertThat(before).hasSize(10);

        broker.stopServer();
        await().atMost(BROKER).until(() -> !link.connected());
        for (int i = 10; i < 60; i++) {
            publisher.accept(reading(i));
        }
        assertThat(publisher.waiting()).isEqualTo(50);
        Thread.sleep(1500); // the outage itself: the broker stays away a while and the link keeps retrying (not a wait)

        publisherAdmitted.set(false);
        startBroker();
        List<JsonNode> after = listen();
        publisherAdmitted.set(true);
        // the link's reconnect backoff and the replay of the disk queue
        await().atMost(BROKER.multipliedBy(2)).until(() -> after.size() >= 50);

        assertThat(after).extracting(n -> n.get("seq").asInt()).containsExactlyElementsOf(
                java.util.stream.IntStream.range(10, 60).boxed().toList());
        assertThat(publisher.waiting()).isZero();
        assertThat(publisher.dropped()).isZero();
        // New readings flow directly again.
        publisher.accept(reading(60));
        await().atMost(BROKER).until(() -> after.size() >= 51);
        assertThat(after).hasSize(51);
        assertThat(after.get(50).get("seq").asInt()).isEqualTo(60);
    }
}

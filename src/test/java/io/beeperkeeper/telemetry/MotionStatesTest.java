package io.beeperkeeper.telemetry;

import io.beeperkeeper.Ports;
import io.beeperkeeper.mqtt.MqttLink;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A camera's retained motion state survives the broker: a real broker (Moquette, keeping nothing
 * across its restart) is stopped, the motion ends meanwhile, and once the broker is back the link
 * sends each camera's newest state again, retained, so a client that subscribes afterwards gets it.
 */
class MotionStatesTest {
    private static final Duration BROKER = Duration.ofSeconds(60);
    private final int port = Ports.freePort();
    private Server broker;
    private MqttLink link;
    private MotionStates states;
    private final List<MqttClient> clients = new java.util.ArrayList<>();

    private void startBroker() throws Exception {
        Properties p = new Properties();
        p.setProperty("host", "127.0.0.1");
        p.setProperty("port", Integer.toString(port));
        p.setProperty("websocket_port", "disabled");
        p.setProperty("allow_anonymous", "true");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("telemetry_enabled", "false");
        broker = new Server();
        broker.startServer(new MemoryConfig(p));
    }

    /** What a client that subscribes now gets of the cameras' motion topics (the retained states). */
    private Map<String, String> retained(String clientId) throws Exception {
        Map<String, String> got = new ConcurrentHashMap<>();
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
        clients.add(c);
        c.connect();
        c.subscribe("beeper/coop1/camera/+/motion", 1, (topic, m) -> got.put(topic, new String(m.getPayload(), StandardCharsets.UTF_8)));
        return got;
    }

    @AfterEach
    void stop() throws Exception {
        for (MqttClient c : clients) {
            if (c.isConnected()) {
                c.disconnect();
            }
            c.close();
        }
        if (states != null) {
            states.close();
        }
        if (link != null) {
            link.close();
        }
        if (broker != null) {
            broker.stopServer();
        }
    }

    @Test
    void eachCamerasNewestStateIsSentAgainAfterTheBrokerComesBack() throws Exception {
        startBroker();
        link = new MqttLink("tcp://127.0.0.1:" + port, "node-pub", "", "");
        states = new MotionStates(link, new TopicLayout("beeper", "coop1", false));
        link.start();
        assertThat(link.awaitConnected(BROKER.toMillis())).isTrue();
        states.set("coop", "{\"state\":\"ON\"}".getBytes(StandardCharsets.UTF_8));
        states.set("run", "{\"state\":\"ON\"}".getBytes(StandardCharsets.UTF_8));
        states.set("run", "{\"state\":\"OFF\"}".getBytes(StandardCharsets.UTF_8));
        Map<String, String> first = retained("checker-1");
        await("both states retained").atMost(BROKER).until(() -> first.size() == 2);
        assertThat(first).containsEntry("beeper/coop1/camera/run/motion", "{\"state\":\"OFF\"}");

        broker.stopServer();
        await("the link notices").atMost(BROKER).until(() -> !link.connected());
        states.set("coop", "{\"state\":\"OFF\"}".getBytes(StandardCharsets.UTF_8)); // motion ends while the broker is away
        startBroker(); // it kept no retained message
        await("the link is back").atMost(BROKER).until(link::connected);

        // subscribed before or after the link sends them again: either way this client gets them
        Map<String, String> again = retained("checker-2");
        await("every camera's newest state sent again").atMost(BROKER).untilAsserted(() -> assertThat(again).isEqualTo(Map.of(
                "beeper/coop1/camera/coop/motion", "{\"state\":\"OFF\"}", "beeper/coop1/camera/run/motion", "{\"state\":\"OFF\"}")));
        Map<String, String> later = retained("checker-3");
        await("and retained for clients that come later").atMost(BROKER).until(() -> later.equals(again));
    }
}

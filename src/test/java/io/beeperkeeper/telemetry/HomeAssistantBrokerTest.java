package io.beeperkeeper.telemetry;

import io.beeperkeeper.mqtt.MqttLink;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The retained Home Assistant discovery configs, availability and last will, checked by a separate MQTT
 * client on the real embedded broker with username/password required.
 */
class HomeAssistantBrokerTest {
    private final ObjectMapper json = new ObjectMapper();
    private EmbeddedBroker broker;
    private MqttLink link;
    private MqttClient ha;

    @AfterEach
    void stop() throws Exception {
        if (ha != null && ha.isConnected()) {
            ha.disconnect();
        }
        if (link != null) {
            link.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** How long the test waits for the broker and the link: generous, for a loaded machine. */
    private static final Duration BROKER = Duration.ofSeconds(30);

    private MqttClient client(String id) throws Exception {
        MqttClient c = new MqttClient(broker.url(), id, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName("beeper");
        o.setPassword("hen-house".toCharArray());
        c.connect(o);
        return c;
    }

    @Test
    void retainedConfigsAvailabilityAndRepublishOnHomeAssistantRestart() throws Exception {
        broker = new EmbeddedBroker("127.0.0.1", 0, "beeper", "hen-house");
        broker.start();
        TopicLayout topics = new TopicLayout("beeper", "coop1", false);
        link = new MqttLink(broker.url(), "coop1-pub", "beeper", "hen-house");
        new HomeAssistantPublisher(link, new HomeAssistantDiscovery(json, "coop1", "test"), topics, true).start();
        link.start();
        assertThat(link.awaitConnected(BROKER.toMillis())).isTrue();

        // The broker wants the password: an anonymous client is turned away.
        MqttClient anonymous = new MqttClient(broker.url(), "stranger", new MemoryPersistence());
        org.assertj.core.api.Assertions.assertThatThrownBy(anonymous::connect)
                .isInstanceOf(org.eclipse.paho.client.mqttv3.MqttException.class);
        anonymous.close();

        // Home Assistant connects later: the retained configs are there waiting. The link announces itself
        // online right after the configs (each acknowledged by the broker): once a watcher sees that, all
        // configs are stored, and a client connecting now can only get them as retained messages.
        MqttClient watcher = client("watcher");
        Map<String, String> watched = new ConcurrentHashMap<>();
        watcher.subscribe(topics.availabilityTopic(), 1, (topic, m) -> watched.put("status", new String(m.getPayload(), StandardCharsets.UTF_8)));
        await("the link announced itself online").atMost(BROKER).until(() -> HomeAssistantPublisher.ONLINE.equals(watched.get("status")));
        watcher.disconnect();
        watcher.close();
        ha = client("home-assistant");
        Map<String, JsonNode> configs = new ConcurrentHashMap<>();
        Map<String, String> availability = new ConcurrentHashMap<>();
        AtomicInteger arrivals = new AtomicInteger();
        ha.subscribe("homeassistant/sensor/+/config", 1, (topic, m) -> {
            configs.put(topic, json.readTree(m.getPayload()));
            arrivals.incrementAndGet();
        });
        ha.subscribe(topics.availabilityTopic(), 1, (topic, m) -> availability.put("status", new String(m.getPayload(), StandardCharsets.UTF_8)));
        int entities = HomeAssistantDiscovery.ENTITIES.size();
        await().atMost(BROKER).until(() -> configs.size() == entities && availability.containsKey("status"));
        // They were published before this client connected: only retained messages reach it.
        // (Moquette delivers them with the retain flag unset, so the flag itself is not checked.)
        assertThat(configs).hasSize(entities);
        assertThat(arrivals.get()).isEqualTo(entities);
        assertThat(availability.get("status")).isEqualTo(HomeAssistantPublisher.ONLINE);

        JsonNode t = configs.get("homeassistant/sensor/beeper_coop1_temperature/config");
        assertThat(t.get("device_class").asText()).isEqualTo("temperature");
        assertThat(t.get("unit_of_measurement").asText()).isEqualTo("°C");
        assertThat(t.get("state_class").asText()).isEqualTo("measurement");
        assertThat(t.get("state_topic").asText()).isEqualTo("beeper/coop1/ha/sensors/bme680/all");
        assertThat(t.get("value_template").asText()).isEqualTo("{{ value_json.temperature }}");
        assertThat(t.get("availability_topic").asText()).isEqualTo("beeper/coop1/status");
        assertThat(t.get("payload_not_available").asText()).isEqualTo("offline");
        assertThat(t.get("availability_template").asText()).isEqualTo("{{ value_json.state }}");
        assertThat(t.get("device").get("identifiers").get(0).asText()).isEqualTo("beeper_coop1");
        assertThat(configs.get("homeassistant/sensor/beeper_coop1_cpu_temperature/config").get("state_topic").asText())
                .isEqualTo("beeper/coop1/ha/sensors/cpu/temperature");
        assertThat(configs.get("homeassistant/sensor/beeper_coop1_lux/config").get("device_class").asText()).isEqualTo("illuminance");
        // One device shared by every entity.
        assertThat(configs.values()).allSatisfy(c -> assertThat(c.get("device")).isEqualTo(t.get("device")));

        // Home Assistant restarts and says so: every config comes again.
        ha.publish(HomeAssistantPublisher.STATUS_TOPIC, new MqttMessage("online".getBytes(StandardCharsets.UTF_8)));
        await().atMost(BROKER).until(() -> arrivals.get() >= 2 * entities);
        assertThat(arrivals.get()).isEqualTo(2 * entities);

        // The node dies without saying goodbye: the broker publishes its last will.
        link.abandon();
        await().atMost(BROKER).until(() -> HomeAssistantPublisher.OFFLINE.equals(availability.get("status")));
        assertThat(availability.get("status")).isEqualTo(HomeAssistantPublisher.OFFLINE);
    }
}

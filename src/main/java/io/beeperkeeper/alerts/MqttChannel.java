package io.beeperkeeper.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.mqtt.MqttLink;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Alerts on the MQTT broker: the retained JSON state of each rule on {@code <prefix>/alerts/<id>}
 * (so a client that connects later sees what is firing), and, for Home Assistant, a retained
 * discovery config per rule: a {@code binary_sensor} with device class {@code problem} that is on
 * while the rule fires. Every state change is published, not only the pushed ones.
 */
final class MqttChannel implements Channel {
    private final MqttLink link;
    private final String prefix;
    private final String node;
    private final ObjectMapper json;
    private final boolean homeAssistant;
    private final Supplier<List<AlertView>> rules;

    MqttChannel(MqttLink link, String prefix, String node, ObjectMapper json, boolean homeAssistant,
                       Supplier<List<AlertView>> rules) {
        this.link = link;
        this.prefix = prefix;
        this.node = node;
        this.json = json;
        this.homeAssistant = homeAssistant;
        this.rules = rules;
        link.onConnect(this::announce);
    }

    @Override
    public String name() {
        return "mqtt";
    }

    @Override
    public boolean wants(AlertEvent e) {
        return true;
    }

    public String stateTopic(String id) {
        return prefix + "/alerts/" + id;
    }

    public static String discoveryTopic(String node, String id) {
        return "homeassistant/binary_sensor/" + node + "_alert_" + id.replace('-', '_') + "/config";
    }

    @Override
    public void send(AlertEvent e) throws IOException {
        publish(stateTopic(e.alert().id()), state(e.alert(), e.type().label()));
    }

    private byte[] state(AlertView a, String event) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>(a.toJson());
        m.put("event", event);
        m.put("node", node);
        return json.writeValueAsBytes(m);
    }

    private void publish(String topic, byte[] payload) throws IOException {
        if (!link.publish(topic, payload, 1, true)) {
            throw new IOException("MQTT broker not reachable");
        }
    }

    /** After every (re)connect: the discovery configs and the current state of every rule. */
    private void announce() {
        try {
            for (AlertView a : rules.get()) {
                if (homeAssistant) {
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("name", a.title());
                    c.put("unique_id", node + "_alert_" + a.id().replace('-', '_'));
                    c.put("default_entity_id", "binary_sensor." + node + "_alert_" + a.id().replace('-', '_'));
                    c.put("device_class", "problem");
                    c.put("state_topic", stateTopic(a.id()));
                    c.put("value_template", "{{ 'ON' if value_json.state == 'firing' else 'OFF' }}");
                    c.put("json_attributes_topic", stateTopic(a.id()));
                    c.put("device", Map.of("identifiers", List.of("beeper_" + node), "name", "Beeper Keeper " + node,
                            "manufacturer", "Beeper Keeper"));
                    c.put("origin", Map.of("name", "Beeper Keeper"));
                    publish(discoveryTopic(node, a.id()), json.writeValueAsBytes(c));
                }
                if (!a.simulated()) {
                    publish(stateTopic(a.id()), state(a, "state"));
                }
            }
        } catch (IOException | RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(MqttChannel.class).warn("alert states not announced on MQTT: {}", e.toString());
        }
    }
}

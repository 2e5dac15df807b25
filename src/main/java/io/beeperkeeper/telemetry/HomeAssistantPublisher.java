package io.beeperkeeper.telemetry;

import io.beeperkeeper.mqtt.MqttLink;
import io.beeperkeeper.feature.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Announces a node to Home Assistant over MQTT: retained discovery configs and a retained
 * {@code {"state":"online"}} on the availability topic after every (re)connect (the link's last will says
 * {@code {"state":"offline"}}), and the configs again whenever Home Assistant restarts and says "online" on
 * {@code homeassistant/status}. The availability payload is a JSON object, like every other message under
 * the topic prefix, so a JSON consumer of {@code beeper/#} (Telegraf) never meets a bare word.
 */
final class HomeAssistantPublisher {
    private static final Logger log = LoggerFactory.getLogger(HomeAssistantPublisher.class);
    public static final String STATUS_TOPIC = "homeassistant/status";
    public static final String ONLINE = "{\"state\":\"online\"}";
    public static final String OFFLINE = "{\"state\":\"offline\"}";

    private final MqttLink link;
    private final HomeAssistantDiscovery discovery;
    private final TopicLayout topics;
    private final boolean discoveryEnabled;

    public HomeAssistantPublisher(MqttLink link, HomeAssistantDiscovery discovery, TopicLayout topics, boolean discoveryEnabled) {
        this.link = link;
        this.discovery = discovery;
        this.topics = topics;
        this.discoveryEnabled = discoveryEnabled;
    }

    /** Sets the last will and the after-connect announcement on the link; call before the link starts. */
    public void start() {
        link.setWill(topics.availabilityTopic(), OFFLINE);
        link.onConnect(this::announce);
        if (discoveryEnabled) {
            link.subscribe(STATUS_TOPIC, 1, (topic, message) -> {
                if ("online".equals(new String(message.getPayload(), StandardCharsets.UTF_8).trim())) {
                    // Not on Paho's callback thread: publishing with QoS 1 there would wait on itself.
                    Threads.start("ha-discovery", this::publishConfigs);
                }
            });
        }
    }

    void announce() {
        publishConfigs();
        link.publish(topics.availabilityTopic(), ONLINE.getBytes(StandardCharsets.UTF_8), 1, true);
    }

    synchronized void publishConfigs() {
        if (!discoveryEnabled) {
            return;
        }
        List<DiskQueue.Message> configs = discovery.configs(topics::homeAssistantTopic, topics.availabilityTopic());
        int sent = 0;
        for (DiskQueue.Message m : configs) {
            if (link.publish(m.topic(), m.payload(), 1, true)) {
                sent++;
            }
        }
        log.info("Home Assistant discovery: {} of {} entity configs published", sent, configs.size());
    }
}

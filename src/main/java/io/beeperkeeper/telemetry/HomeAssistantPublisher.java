package io.beeperkeeper.telemetry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.feature.Threads;
import io.beeperkeeper.mqtt.MqttLink;
import io.beeperkeeper.sensor.ReadingKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Announces a node to Home Assistant over MQTT: retained discovery configs and a retained
 * {@code {"state":"online"}} on the availability topic after every (re)connect (the link's last will says
 * {@code {"state":"offline"}}), and the configs again whenever Home Assistant restarts and says "online" on
 * {@code homeassistant/status}. The availability payload is a JSON object, like every other message under
 * the topic prefix, so a JSON consumer of {@code beeper/#} (Telegraf) never meets a bare word.
 *
 * <p>Configs go out once the sensors are chosen ({@link #present}), for what the node sends only. The
 * config topics announced are kept in {@code <data>/homeassistant-entities.json}: an entity announced
 * before and absent now (a sensor removed, a camera renamed) gets an empty retained config, which is how
 * Home Assistant is told to delete it; a file is needed because Home Assistant keeps an entity after the
 * broker has lost its retained config (the embedded broker keeps none across restarts). Each camera's
 * still URL is re-published every minute, so Home Assistant fetches a fresh picture when it shows it.
 */
final class HomeAssistantPublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HomeAssistantPublisher.class);
    public static final String STATUS_TOPIC = "homeassistant/status";
    public static final String ONLINE = "{\"state\":\"online\"}";
    public static final String OFFLINE = "{\"state\":\"offline\"}";
    public static final String ANNOUNCED_FILE = "homeassistant-entities.json";
    static final long CAMERA_REFRESH_SECONDS = 60;

    private final MqttLink link;
    private final HomeAssistantDiscovery discovery;
    private final TopicLayout topics;
    private final boolean discoveryEnabled;
    private final Path announcedFile;
    private final ObjectMapper json;
    private final java.time.Clock clock;
    private volatile Set<ReadingKind> present;
    private volatile ScheduledExecutorService refresher;

    /** Without a record of what was announced: nothing stale is withdrawn, and every kind counts as present. */
    public HomeAssistantPublisher(MqttLink link, HomeAssistantDiscovery discovery, TopicLayout topics, boolean discoveryEnabled) {
        this(link, discovery, topics, discoveryEnabled, null, new ObjectMapper(), java.time.Clock.systemUTC());
        this.present = java.util.EnumSet.allOf(ReadingKind.class);
    }

    /** @param dataDir where the list of announced entities is kept */
    public HomeAssistantPublisher(MqttLink link, HomeAssistantDiscovery discovery, TopicLayout topics, boolean discoveryEnabled,
                                  Path dataDir, ObjectMapper json, java.time.Clock clock) {
        this.link = link;
        this.discovery = discovery;
        this.topics = topics;
        this.discoveryEnabled = discoveryEnabled;
        this.announcedFile = dataDir == null ? null : dataDir.resolve(ANNOUNCED_FILE);
        this.json = json;
        this.clock = clock;
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
            if (!discovery.cameras().isEmpty()) {
                ScheduledExecutorService r = Executors.newSingleThreadScheduledExecutor(Threads.daemon("ha-camera-urls"));
                r.scheduleWithFixedDelay(this::publishCameraUrls, CAMERA_REFRESH_SECONDS, CAMERA_REFRESH_SECONDS, TimeUnit.SECONDS);
                refresher = r;
            }
        }
    }

    /** The kinds of reading the node sends: announces them (and withdraws the rest) now if connected, else at connect. */
    public void present(Set<ReadingKind> kinds) {
        present = Set.copyOf(kinds);
        if (link.connected()) {
            Threads.start("ha-discovery", this::publishConfigs);
        }
    }

    void announce() {
        publishConfigs();
        link.publish(topics.availabilityTopic(), ONLINE.getBytes(StandardCharsets.UTF_8), 1, true);
    }

    synchronized void publishConfigs() {
        Set<ReadingKind> kinds = present;
        if (!discoveryEnabled || kinds == null) {
            return; // the sensors are not chosen yet: announcing now could withdraw what is about to exist
        }
        List<DiskQueue.Message> configs = discovery.configs(kinds, topics::homeAssistantTopic, topics.availabilityTopic(),
                c -> HomeAssistantDiscovery.cameraUrlTopic(topics.prefix(), topics.node(), c), topics::motionTopic);
        Set<String> current = new LinkedHashSet<>();
        int sent = 0;
        for (DiskQueue.Message m : configs) {
            current.add(m.topic());
            if (link.publish(m.topic(), m.payload(), 1, true)) {
                sent++;
            }
        }
        Set<String> keep = new TreeSet<>(current);
        int withdrawn = 0;
        for (String stale : announced()) {
            if (current.contains(stale)) {
                continue;
            }
            if (link.publish(stale, new byte[0], 1, true)) {
                withdrawn++;
            } else {
                keep.add(stale); // tried again at the next connect
            }
        }
        remember(keep);
        publishCameraUrls();
        log.info("Home Assistant discovery: {} of {} entity configs published, {} withdrawn", sent, configs.size(), withdrawn);
    }

    private void publishCameraUrls() {
        long at = clock.instant().getEpochSecond();
        for (String camera : discovery.cameras()) {
            try {
                byte[] payload = json.writeValueAsBytes(Map.of("url", discovery.snapshotUrl(camera, at)));
                link.publish(HomeAssistantDiscovery.cameraUrlTopic(topics.prefix(), topics.node(), camera), payload, 0, true);
            } catch (IOException | RuntimeException e) {
                log.debug("camera URL for Home Assistant not published: {}", e.toString());
            }
        }
    }

    /** The config topics announced before (empty when there is no record or it is unreadable). */
    private List<String> announced() {
        if (announcedFile == null || !Files.exists(announcedFile)) {
            return List.of();
        }
        try {
            List<String> out = new ArrayList<>();
            json.readTree(announcedFile.toFile()).path("configTopics").forEach(n -> {
                if (n.isTextual() && n.asText().startsWith("homeassistant/")) {
                    out.add(n.asText());
                }
            });
            return out;
        } catch (IOException e) {
            log.warn("cannot read {} ({}); entities announced before and gone now stay in Home Assistant until deleted there",
                    announcedFile, e.getMessage());
            return List.of();
        }
    }

    private void remember(Set<String> configTopics) {
        if (announcedFile == null) {
            return;
        }
        try {
            Path tmp = announcedFile.resolveSibling(ANNOUNCED_FILE + ".tmp");
            Files.write(tmp, json.writeValueAsBytes(Map.of("configTopics", List.copyOf(configTopics))));
            Files.move(tmp, announcedFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn("cannot write {}: {}", announcedFile, e.getMessage());
        }
    }

    @Override
    public void close() {
        ScheduledExecutorService r = refresher;
        if (r != null) {
            r.shutdownNow();
        }
    }
}

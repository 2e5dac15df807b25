package io.beeperkeeper;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.config.BeeperConfig;
import io.beeperkeeper.health.HealthRegistry;
import io.beeperkeeper.history.HistoryFeature;
import io.beeperkeeper.media.MediaFeature;
import io.beeperkeeper.media.PcmListener;
import io.beeperkeeper.sensor.audio.AudioLevelMeter;
import io.beeperkeeper.sensor.audio.AudioLevelPublisher;
import io.beeperkeeper.media.webrtc.WebRtcFeature;
import io.beeperkeeper.sensor.ReadingSource;
import io.beeperkeeper.sensor.Sampler;
import io.beeperkeeper.sensor.SensorSetup;
import io.beeperkeeper.telemetry.EmbeddedBroker;
import io.beeperkeeper.telemetry.LatestMetrics;
import io.beeperkeeper.telemetry.MqttLink;
import io.beeperkeeper.telemetry.ReadingCodec;
import io.beeperkeeper.telemetry.TelemetryPublisher;
import io.beeperkeeper.telemetry.TelemetrySubscriber;
import io.beeperkeeper.telemetry.DiskQueue;
import io.beeperkeeper.telemetry.HomeAssistantDiscovery;
import io.beeperkeeper.telemetry.HomeAssistantPublisher;
import io.beeperkeeper.telemetry.MqttTls;
import io.beeperkeeper.telemetry.TopicLayout;

import javax.net.ssl.SSLSocketFactory;
import io.beeperkeeper.web.CoreWeb;
import io.beeperkeeper.web.LiveEvents;
import io.beeperkeeper.web.WebModule;
import io.beeperkeeper.web.WebServer;
import io.beeperkeeper.web.viewers.ViewersFeature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;

/**
 * Wires one Beeper Keeper process (hub and node) from its configuration and owns the lifecycle:
 * components start in dependency order and close in reverse. The only place that knows every
 * package.
 */
public final class App implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(App.class);

    private final BeeperConfig config;
    private final Clock clock;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final HealthRegistry health = new HealthRegistry();
    private final ObjectMapper json = new ObjectMapper();
    private String nodeName;
    private String mqttUrl;
    private WebServer web;

    public App(BeeperConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** Starts everything; on failure closes what already started and rethrows. */
    public App start() {
        try {
            startAll();
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void startAll() {
        Path dataDir = Path.of(config.data().dir());
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StartupException("cannot create the data folder " + dataDir.toAbsolutePath() + ": " + e
                    + ". Choose another with --data DIR or data.dir in beeper.yaml.");
        }
        nodeName = config.node().name().isEmpty() ? hostName() : config.node().name();

        if (config.mqtt().embedded()) {
            EmbeddedBroker broker = own(new EmbeddedBroker(config.mqtt().host(), config.mqtt().port(),
                    config.mqtt().username(), config.mqtt().password()));
            broker.start();
            mqttUrl = broker.url();
            health.register("broker", () -> broker.running()
                    ? io.beeperkeeper.health.ComponentHealth.up("embedded, " + broker.url())
                    : io.beeperkeeper.health.ComponentHealth.down("embedded broker stopped"));
        } else {
            mqttUrl = config.mqtt().url();
        }

        ReadingCodec codec = new ReadingCodec(json);
        String suffix = "-" + UUID.randomUUID().toString().substring(0, 8);

        LiveEvents events = own(new LiveEvents(json));
        LatestMetrics latest = new LatestMetrics(nodeName);
        TelemetrySubscriber subscriber = new TelemetrySubscriber(codec, config.mqtt().topicPrefix(), nodeName, clock);
        subscriber.addListener(latest);
        HistoryFeature history = own(HistoryFeature.start(config.history(), dataDir, clock, health));
        subscriber.addListener(history);
        subscriber.addListener(sample -> events.publish("reading", CoreWeb.toJson(sample)));
        MqttLink hubLink = own(new MqttLink(mqttUrl, config.mqtt().clientId() + "-sub" + suffix,
                config.mqtt().username(), config.mqtt().password()));
        subscriber.attach(hubLink);
        SSLSocketFactory tls = mqttUrl.startsWith("ssl://") ? tls(config.mqtt().caFile()) : null;
        if (tls != null) {
            hubLink.setSocketFactory(tls);
        }
        hubLink.start();
        health.register("mqtt", hubLink::health);

        MqttLink nodeLink = own(new MqttLink(mqttUrl, config.mqtt().clientId() + "-pub" + suffix,
                config.mqtt().username(), config.mqtt().password()));
        if (tls != null) {
            nodeLink.setSocketFactory(tls);
        }
        TopicLayout topics = new TopicLayout(config.mqtt().topicPrefix(), nodeName, config.mqtt().seedTopics());
        new HomeAssistantPublisher(nodeLink, new HomeAssistantDiscovery(json, nodeName, Version.current()), topics,
                config.mqtt().homeAssistantDiscovery());
        TelemetryPublisher publisher = new TelemetryPublisher(nodeLink, codec, topics,
                new DiskQueue(dataDir.resolve("mqtt-queue"), config.mqtt().queueMaxMessages()));
        nodeLink.start();
        health.register("telemetry", publisher::health);
        // the sound level comes from the first camera with audio (one capture for stream and meter)
        boolean cameraMicrophone = !config.sensors().mode().equals("simulated")
                && config.cameras().effective().values().stream().anyMatch(c -> c.hasAudio());
        SensorSetup sensorSetup = new SensorSetup(config.sensors(), Path.of("/sys"), Path.of("/proc"), dataDir, cameraMicrophone);
        List<ReadingSource> sources = sensorSetup.sources();
        Sampler sampler = own(new Sampler(sources, publisher, clock, config.sensors().intervalSeconds()));
        try {
            for (AutoCloseable stream : sensorSetup.startStreams(publisher, clock, health)) {
                own(stream);
            }
        } catch (IOException e) {
            throw new StartupException("camera metadata: " + e.getMessage(), e);
        }
        health.register("sensors", sampler::health);
        awaitBroker(hubLink, nodeLink);
        sampler.start();

        List<WebModule> modules = new ArrayList<>();
        modules.add(new CoreWeb(health, latest, events, Version.current()));
        modules.add(history.web());
        ViewersFeature viewers = own(new ViewersFeature(config, events::publish, health, clock));
        modules.addAll(viewers.webModules());
        AudioLevelMeter meter = cameraMicrophone
                ? new AudioLevelMeter(PcmListener.SAMPLE_RATE, 1, 1.0, new AudioLevelPublisher(publisher, clock)) : null;
        MediaFeature media = own(MediaFeature.start(config.cameras(), config.media(), health, json, events::publish,
                meter == null ? null : meter::feed));
        modules.add(media.web());
        WebRtcFeature webrtc = own(WebRtcFeature.start(config.webrtc(), media, health));
        modules.add(webrtc.web());
        web = own(new WebServer(config.web().host(), config.web().port(), json, events, modules, ViewersFeature.requestGuards()));
        web.start();
        log.info("Beeper Keeper {} up: node '{}', data in {}", Version.current(), nodeName, dataDir.toAbsolutePath());
    }

    /** Sensors start after the broker answers so the first readings are not dropped. */
    private void awaitBroker(MqttLink... links) {
        try {
            for (MqttLink l : links) {
                if (!l.awaitConnected(5000)) {
                    log.warn("MQTT broker at {} not reachable yet; readings are dropped until it is", mqttUrl);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static SSLSocketFactory tls(String caFile) {
        try {
            return MqttTls.socketFactory(caFile);
        } catch (IOException e) {
            throw new StartupException(e.getMessage() + " (check mqtt.caFile)", e);
        }
    }

    private <T extends AutoCloseable> T own(T component) {
        started.push(component);
        return component;
    }

    private static String hostName() {
        try {
            String h = InetAddress.getLocalHost().getHostName();
            return h.replaceAll("[^A-Za-z0-9_-]", "-");
        } catch (IOException e) {
            return "beeper";
        }
    }

    public int webPort() {
        return web.port();
    }

    public String mqttUrl() {
        return mqttUrl;
    }

    public String nodeName() {
        return nodeName;
    }

    public HealthRegistry health() {
        return health;
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            AutoCloseable c = started.pop();
            try {
                c.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }
}

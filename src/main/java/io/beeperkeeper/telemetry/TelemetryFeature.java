package io.beeperkeeper.telemetry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.StartupException;
import io.beeperkeeper.config.MqttConfig;
import io.beeperkeeper.feature.Closer;
import io.beeperkeeper.feature.Feature;
import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.health.HealthCheck;
import io.beeperkeeper.metric.MetricListener;
import io.beeperkeeper.sensor.Reading;
import io.beeperkeeper.sensor.ReadingSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * MQTT for the hub: the embedded broker (or the keeper's own), the node's publishing link with its
 * disk queue and Home Assistant discovery, and the hub's subscribing link that turns every accepted
 * payload into a {@link io.beeperkeeper.metric.MetricSample} for the given listener (the metric bus).
 * Sensors publish through this feature as a {@link ReadingSink}; {@link #latest()} is the newest value
 * of every metric for the page. Each node of {@code mqtt.acceptNodes} has a health entry
 * {@code node.<name>}, down once it has been silent for {@code mqtt.nodeOfflineMinutes}.
 */
public final class TelemetryFeature implements Feature, ReadingSink {
    private static final Logger log = LoggerFactory.getLogger(TelemetryFeature.class);

    private final MqttConfig config;
    private final Path dataDir;
    private final String nodeName;
    private final String version;
    private final ObjectMapper json;
    private final Clock clock;
    private final MetricListener received;
    private final LatestMetrics latest;
    private final NodeLiveness nodes;
    private final HomeAssistant homeAssistant;
    private final Closer open = new Closer();
    private final List<HealthCheck> health = new ArrayList<>();
    private volatile EmbeddedBroker broker;
    private volatile MqttLink hubLink;
    private volatile TelemetryPublisher publisher;
    private volatile TelemetrySubscriber subscriber;
    private volatile String url;

    /** What Home Assistant is told besides the readings: the hub's page and the lights' levels. */
    public record HomeAssistant(String pageUrl, double lightsOnLux, double lightsOffLux) {
        /** No page link; lights at the seed's 50 lux, off below 30. */
        public static final HomeAssistant DEFAULTS = new HomeAssistant("", 50, 30);
    }

    /** @param received every sample the hub accepts from the broker goes here (the metric bus) */
    public TelemetryFeature(MqttConfig config, Path dataDir, String nodeName, String version, ObjectMapper json,
                            Clock clock, MetricListener received) {
        this(config, dataDir, nodeName, version, json, clock, received, HomeAssistant.DEFAULTS);
    }

    /** @param received every sample the hub accepts from the broker goes here (the metric bus) */
    public TelemetryFeature(MqttConfig config, Path dataDir, String nodeName, String version, ObjectMapper json,
                            Clock clock, MetricListener received, HomeAssistant homeAssistant) {
        this.homeAssistant = homeAssistant;
        this.config = config;
        this.dataDir = dataDir;
        this.nodeName = nodeName;
        this.version = version;
        this.json = json;
        this.clock = clock;
        this.received = received;
        this.latest = new LatestMetrics(nodeName);
        this.nodes = new NodeLiveness(config.acceptedNodes(), java.time.Duration.ofMinutes(config.nodeOfflineMinutes()), clock);
        this.url = config.embedded() ? "tcp://" + config.host() + ":" + config.port() : config.url();
        if (config.embedded()) {
            health.add(new HealthCheck("broker", () -> broker == null ? ComponentHealth.down("embedded broker not started") : broker.health()));
        }
        health.add(new HealthCheck("mqtt", () -> hubLink == null ? ComponentHealth.down("not started") : hubLink.health()));
        health.add(new HealthCheck("readings", this::readingsHealth));
        health.add(new HealthCheck("telemetry", () -> publisher == null ? ComponentHealth.down("not started") : publisher.health()));
        health.addAll(nodes.health());
    }

    @Override
    public String name() {
        return "telemetry";
    }

    @Override
    public void start() {
        if (config.embedded()) {
            EmbeddedBroker b = open.own(new EmbeddedBroker(config.host(), config.port(), config.username(), config.password(),
                    config.clientMessagesPerSecond(), clock));
            b.start();
            broker = b;
            url = b.url();
        }
        ReadingCodec codec = new ReadingCodec(json, ReadingLimits.ofHours(config.queueMaxAgeHours()));
        String suffix = "-" + UUID.randomUUID().toString().substring(0, 8);
        if (broker != null) {
            broker.countReadingsUnder(config.topicPrefix());
            broker.trust(config.clientId() + "-sub" + suffix);
            broker.trust(config.clientId() + "-pub" + suffix);
        }
        SSLSocketFactory tls = url.startsWith("ssl://") ? tls(config.caFile()) : null;

        TelemetrySubscriber subscriber = new TelemetrySubscriber(codec, config.topicPrefix(), nodeName, config.acceptedNodes(), clock);
        this.subscriber = subscriber;
        subscriber.addListener(latest);
        subscriber.addListener(nodes);
        nodes.start();
        subscriber.addListener(received);
        open.own(subscriber).start(); // closed after the link that feeds it
        MqttLink sub = open.own(new MqttLink(url, config.clientId() + "-sub" + suffix, config.username(), config.password()));
        subscriber.attach(sub);
        if (tls != null) {
            sub.setSocketFactory(tls);
        }
        sub.start();
        hubLink = sub;

        MqttLink nodeLink = open.own(new MqttLink(url, config.clientId() + "-pub" + suffix, config.username(), config.password()));
        if (tls != null) {
            nodeLink.setSocketFactory(tls);
        }
        TopicLayout topics = new TopicLayout(config.topicPrefix(), nodeName, config.seedTopics());
        new HomeAssistantPublisher(nodeLink, new HomeAssistantDiscovery(json, nodeName, version,
                homeAssistant.pageUrl(), homeAssistant.lightsOnLux(), homeAssistant.lightsOffLux()), topics, config.homeAssistantDiscovery()).start();
        publisher = new TelemetryPublisher(nodeLink, codec, topics,
                new DiskQueue(dataDir.resolve("mqtt-queue"), config.queueMaxMessages()), clock, config.homeAssistantDiscovery());
        nodeLink.start();
        awaitBroker(sub, nodeLink);
    }

    /** Sensors start after this, and after the broker answers, so the first readings are not dropped. */
    private void awaitBroker(MqttLink... links) {
        try {
            for (MqttLink l : links) {
                if (!l.awaitConnected(5000)) {
                    log.warn("MQTT broker at {} not reachable yet; readings are queued on disk until it is", url);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Publishes a reading of this node's sensors; before start (or after close) it is dropped. */
    @Override
    public void accept(Reading reading) {
        TelemetryPublisher p = publisher;
        if (p != null) {
            p.accept(reading);
        }
    }

    /** The newest value of every metric, for the page's cards. */
    public LatestMetrics latest() {
        return latest;
    }

    /**
     * What came in and what was refused; with the embedded broker also the readings it accepted but
     * never delivered to the hub (QoS 0 messages it drops when the hub's connection is busy).
     */
    private ComponentHealth readingsHealth() {
        TelemetrySubscriber s = subscriber;
        if (s == null) {
            return ComponentHealth.down("not started");
        }
        ComponentHealth h = s.health();
        long lost = lostInDelivery();
        return lost <= 0 ? h : ComponentHealth.degraded(h.detail() + "; " + lost + " accepted by the broker but not delivered to the hub");
    }

    /** With the embedded broker: reading messages it accepted minus those the hub was handed (0 otherwise). */
    long lostInDelivery() {
        EmbeddedBroker b = broker;
        TelemetrySubscriber s = subscriber;
        return b == null || s == null ? 0 : Math.max(0, b.acceptedReadings() - s.delivered());
    }

    /** The hub's subscriber once started (its counters), for tests in this package. */
    TelemetrySubscriber subscriber() {
        return subscriber;
    }

    /** The embedded broker once started (its counters), for tests in this package. */
    EmbeddedBroker broker() {
        return broker;
    }

    /** Where the hub's MQTT broker is (the embedded one's address once started). */
    public String url() {
        return url;
    }

    @Override
    public List<HealthCheck> health() {
        return List.copyOf(health);
    }

    private static SSLSocketFactory tls(String caFile) {
        try {
            return MqttTls.socketFactory(caFile);
        } catch (IOException e) {
            throw new StartupException(e.getMessage() + " (check mqtt.caFile)", e);
        }
    }


    @Override
    public void close() {
        publisher = null;
        open.close();
    }
}

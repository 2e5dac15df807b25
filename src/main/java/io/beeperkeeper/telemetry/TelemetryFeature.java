package io.beeperkeeper.telemetry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.config.MqttConfig;
import io.beeperkeeper.feature.Closer;
import io.beeperkeeper.feature.Feature;
import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.health.HealthCheck;
import io.beeperkeeper.metric.MetricListener;
import io.beeperkeeper.mqtt.MqttLink;
import io.beeperkeeper.sensor.Reading;
import io.beeperkeeper.sensor.ReadingSink;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.ToLongFunction;

/**
 * MQTT for the hub: the embedded broker (or the keeper's own), the node's publishing link with its
 * disk queue and Home Assistant discovery, and the hub's subscribing link that turns every accepted
 * payload into a {@link io.beeperkeeper.metric.MetricSample} for the given listener (the metric bus).
 * Sensors publish through this feature as a {@link ReadingSink}; the hub's own readings reach the
 * listener straight from the publisher (the broker's copies of them are skipped), anyone else's through
 * the broker. {@link #latest()} is the newest value of every metric for the page. Each node of {@code mqtt.acceptNodes} has a health entry
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
    /** The publisher whose counts the meters read; kept after close so a counter never goes back. */
    private volatile TelemetryPublisher counted;
    private volatile HomeAssistantPublisher haPublisher;
    private volatile TelemetrySubscriber subscriber;
    private volatile String url;
    private volatile MotionStates motionStates;

    /** What Home Assistant is told besides the readings: the hub's page and the lights' levels. */
    public record HomeAssistant(String pageUrl, double lightsOnLux, double lightsOffLux, List<String> cameras,
                                List<String> motionCameras) {
        /** No page link; lights at the seed's 50 lux, off below 30. */
        public static final HomeAssistant DEFAULTS = new HomeAssistant("", 50, 30, List.of());

        public HomeAssistant {
            cameras = List.copyOf(cameras);
            motionCameras = List.copyOf(motionCameras);
        }

        /** Without motion sensors. */
        public HomeAssistant(String pageUrl, double lightsOnLux, double lightsOffLux, List<String> cameras) {
            this(pageUrl, lightsOnLux, lightsOffLux, cameras, List.of());
        }

        /** Without cameras. */
        public HomeAssistant(String pageUrl, double lightsOnLux, double lightsOffLux) {
            this(pageUrl, lightsOnLux, lightsOffLux, List.of());
        }
    }

    /** @param received every sample the hub accepts from the broker goes here (the metric bus) */
    public TelemetryFeature(MqttConfig config, Path dataDir, String nodeName, String version, ObjectMapper json,
                            Clock clock, MetricListener received, MeterRegistry meters) {
        this(config, dataDir, nodeName, version, json, clock, received, HomeAssistant.DEFAULTS, meters);
    }

    /**
     * @param received every sample the hub accepts from the broker goes here (the metric bus)
     * @param meters   the hub's meter registry: this feature's counts are read from it at each scrape
     */
    public TelemetryFeature(MqttConfig config, Path dataDir, String nodeName, String version, ObjectMapper json,
                            Clock clock, MetricListener received, HomeAssistant homeAssistant, MeterRegistry meters) {
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
        registerMeters(meters);
    }

    /** Function meters over the counts the links and queues keep (0 until started). */
    private void registerMeters(MeterRegistry meters) {
        counter(meters, "beeper.mqtt.messages.received", "messages on reading topics the broker delivered to the hub",
                f -> f.fromSubscriber(TelemetrySubscriber::delivered));
        counter(meters, "beeper.mqtt.messages.accepted", "messages accepted as readings",
                f -> f.fromSubscriber(TelemetrySubscriber::received));
        for (Refusal r : Refusal.values()) {
            FunctionCounter.builder("beeper.mqtt.messages.refused", this, f -> f.fromSubscriber(s -> s.refused(r)))
                    .description("messages on reading topics refused, per reason (as in /api/health)")
                    .tag("reason", r.label()).register(meters);
        }
        counter(meters, "beeper.mqtt.messages.dropped", "messages lost because the hub's inbound queue stayed full",
                f -> f.fromSubscriber(TelemetrySubscriber::dropped));
        counter(meters, "beeper.mqtt.unknown.fields", "fields of accepted messages the hub does not know, left out",
                f -> f.fromSubscriber(TelemetrySubscriber::ignoredFields));
        counter(meters, "beeper.mqtt.messages.published", "readings of this node published to the broker",
                f -> f.fromPublisher(TelemetryPublisher::published));
        Gauge.builder("beeper.mqtt.queued.readings", this, f -> f.fromPublisher(TelemetryPublisher::waiting))
                .description("readings waiting in the disk queue for the broker").register(meters);
        counter(meters, "beeper.mqtt.queue.dropped", "queued readings dropped because the disk queue was full",
                f -> f.fromPublisher(TelemetryPublisher::dropped));
        counter(meters, "beeper.mqtt.queue.expired", "queued readings left out because they outgrew the queue's retention",
                f -> f.fromPublisher(TelemetryPublisher::expired));
        if (config.embedded()) {
            FunctionCounter.builder("beeper.mqtt.broker.refused", this, f -> f.fromBroker(EmbeddedBroker::rateLimited))
                    .description("messages the embedded broker refused, per reason").tag("reason", "rate_limited").register(meters);
            FunctionCounter.builder("beeper.mqtt.broker.refused", this, f -> f.fromBroker(EmbeddedBroker::undecodable))
                    .description("messages the embedded broker refused, per reason").tag("reason", "undecodable").register(meters);
            FunctionCounter.builder("beeper.mqtt.broker.refused", this, f -> f.fromBroker(EmbeddedBroker::queueFull))
                    .description("messages the embedded broker refused, per reason").tag("reason", "queue_full").register(meters);
        }
    }

    private void counter(MeterRegistry meters, String name, String description, java.util.function.ToDoubleFunction<TelemetryFeature> f) {
        FunctionCounter.builder(name, this, f).description(description).register(meters);
    }

    private double fromSubscriber(ToLongFunction<TelemetrySubscriber> count) {
        TelemetrySubscriber s = subscriber;
        return s == null ? 0 : count.applyAsLong(s);
    }

    private double fromPublisher(ToLongFunction<TelemetryPublisher> count) {
        TelemetryPublisher p = counted;
        return p == null ? 0 : count.applyAsLong(p);
    }

    private double fromBroker(ToLongFunction<EmbeddedBroker> count) {
        EmbeddedBroker b = broker;
        return b == null ? 0 : count.applyAsLong(b);
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
        TelemetrySubscriber subscriber = new TelemetrySubscriber(codec, config.topicPrefix(), nodeName, config.acceptedNodes(), clock);
        this.subscriber = subscriber;
        subscriber.addListener(latest);
        subscriber.addListener(nodes);
        nodes.start();
        subscriber.addListener(received);
        open.own(subscriber).start(); // closed after the link that feeds it
        MqttLink sub = open.own(MqttLink.of(config, url, config.clientId() + "-sub" + suffix));
        subscriber.attach(sub);
        sub.start();
        hubLink = sub;

        MqttLink nodeLink = open.own(MqttLink.of(config, url, config.clientId() + "-pub" + suffix));
        TopicLayout topics = new TopicLayout(config.topicPrefix(), nodeName, config.seedTopics());
        HomeAssistantPublisher ha = open.own(new HomeAssistantPublisher(nodeLink, new HomeAssistantDiscovery(json, nodeName, version,
                homeAssistant.pageUrl(), homeAssistant.lightsOnLux(), homeAssistant.lightsOffLux(), homeAssistant.cameras(),
                homeAssistant.motionCameras()),
                topics, config.homeAssistantDiscovery(), dataDir, json, clock));
        ha.start();
        haPublisher = ha;
        motionStates = open.own(new MotionStates(nodeLink, topics));
        publisher = new TelemetryPublisher(nodeLink, codec, topics,
                new DiskQueue(dataDir.resolve("mqtt-queue"), config.queueMaxMessages()), clock, config.homeAssistantDiscovery(),
                subscriber, liveChannel(nodeLink, config.clientId() + "-pub" + suffix));
        counted = publisher;
        nodeLink.start();
        awaitBroker(sub, nodeLink);
    }

    /**
     * The embedded broker takes the hub's live readings from inside the process (no round trip over a
     * socket for each); a broker of the keeper's own gets them over the node's link.
     */
    private TelemetryPublisher.Channel liveChannel(MqttLink nodeLink, String clientId) {
        EmbeddedBroker b = broker;
        return b == null ? nodeLink::publish : (topic, payload, qos, retained) -> b.publish(topic, payload, qos, retained, clientId);
    }

    /**
     * A camera's motion state for Home Assistant and other MQTT users: retained JSON
     * {@code {"state": "ON"|"OFF", ...details}} on {@code <prefix>/<node>/camera/<camera>/motion}, sent
     * now and again after every reconnect to the broker ({@link MotionStates}).
     */
    public void motion(String camera, boolean on, Map<String, Object> details) {
        MotionStates states = motionStates;
        if (states == null) {
            return;
        }
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("state", on ? "ON" : "OFF");
        body.putAll(details);
        try {
            states.set(camera, json.writeValueAsBytes(body));
        } catch (java.io.IOException e) {
            // a map of strings always serialises
        }
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

    /** The sensors are chosen: Home Assistant is told of their entities only, and of no other. */
    @Override
    public void present(java.util.Set<io.beeperkeeper.sensor.ReadingKind> kinds) {
        HomeAssistantPublisher h = haPublisher;
        if (h != null) {
            h.present(kinds);
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


    @Override
    public void close() {
        publisher = null;
        open.close();
    }
}

package io.beeperkeeper;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.alerts.AlertsFeature;
import io.beeperkeeper.alerts.HistoryLights;
import io.beeperkeeper.chat.ChatFeature;
import io.beeperkeeper.config.BeeperConfig;
import io.beeperkeeper.feature.Closer;
import io.beeperkeeper.feature.Feature;
import io.beeperkeeper.feature.Json;
import io.beeperkeeper.feature.ProcessMeters;
import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.health.HealthCheck;
import io.beeperkeeper.health.HealthRegistry;
import io.beeperkeeper.history.HistoryFeature;
import io.beeperkeeper.history.LightsOnFeed;
import io.beeperkeeper.media.MediaFeature;
import io.beeperkeeper.media.PcmListener;
import io.beeperkeeper.media.camera.SteadyClock;
import io.beeperkeeper.media.rtsp.RtspFeature;
import io.beeperkeeper.media.webrtc.WebRtcFeature;
import io.beeperkeeper.metric.MetricBus;
import io.beeperkeeper.metric.MetricListener;
import io.beeperkeeper.motion.MotionEvent;
import io.beeperkeeper.motion.MotionFeature;
import io.beeperkeeper.motion.MotionListener;
import io.beeperkeeper.sensor.SensorsFeature;
import io.beeperkeeper.telemetry.TelemetryFeature;
import io.beeperkeeper.thermal.ThermalFeature;
import io.beeperkeeper.recordings.RecordingsFeature;
import io.beeperkeeper.timelapse.TimelapseFeature;
import io.beeperkeeper.viewers.ViewersFeature;
import io.beeperkeeper.web.CoreWeb;
import io.beeperkeeper.web.LiveEvents;
import io.beeperkeeper.web.StartupGate;
import io.beeperkeeper.web.WebModule;
import io.beeperkeeper.web.WebServer;
import io.beeperkeeper.web.alerts.AlertsWeb;
import io.beeperkeeper.web.chat.ChatWebModule;
import io.beeperkeeper.web.history.HistoryWeb;
import io.beeperkeeper.web.metrics.MetricsWeb;
import io.beeperkeeper.web.motion.MotionWeb;
import io.beeperkeeper.web.recordings.ClipsWeb;
import io.beeperkeeper.web.timelapse.TimelapseWeb;
import io.beeperkeeper.web.media.MediaWebModule;
import io.beeperkeeper.web.viewers.IdentityGate;
import io.beeperkeeper.web.viewers.ViewersWebModule;
import io.beeperkeeper.web.webrtc.WhepModule;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Wires one Beeper Keeper process from its configuration: builds the features as a list (each line
 * of {@link #features} is one feature, with its web adapter where it has one), registers their health
 * entries and listeners, and closes everything in reverse. The web server starts first, so a keeper
 * sees the page within a second of start even on a Pi: while the features start behind it in list
 * order (the broker, the WebRTC key, the cameras...), {@code /api/health} shows each part not up yet as
 * starting and the rest of the API answers 503 "the hub is starting" ({@link StartupGate}). It makes the
 * hub's one meter registry and hands it to each feature ({@code /metrics}). The only place that knows
 * every package.
 */
public final class App implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(App.class);

    private final BeeperConfig config;
    private final Clock clock;
    private final HealthRegistry health = new HealthRegistry();
    private final ObjectMapper json = Json.newMapper();
    private final MetricBus bus = new MetricBus();
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<Feature> features = new ArrayList<>();
    private final List<Supplier<WebModule>> webModules = new ArrayList<>();
    private final Closer open = new Closer();
    private final StartupGate starting = new StartupGate();
    /** The features whose start() has returned: their own health entries speak from then on. */
    private final Set<Feature> started = ConcurrentHashMap.newKeySet();
    /** Features without a health entry of their own: one named after each shows "starting" until it is up. */
    private final Set<Feature> placeholders = new HashSet<>();
    /** Features added after the hub's own ones, with their web adapters (a test's slow part). */
    private final List<Map.Entry<Feature, WebModule>> extra = new ArrayList<>();
    private String nodeName;
    private TelemetryFeature telemetry;
    private volatile WebServer web;

    public App(BeeperConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** Adds a feature after the hub's own ones, with its routes; before {@link #start()} only. */
    <F extends Feature> App with(F feature, WebModule routes) {
        extra.add(Map.entry(feature, routes));
        return this;
    }

    /**
     * Starts everything and returns once every feature is up (the page and {@code /api/health} answer
     * from the first moment); on failure closes what already started and rethrows.
     */
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
        open.own(meters::close);
        open.own(new ProcessMeters(Path.of("/proc"))).bindTo(meters);
        Gauge.builder("beeper.info", () -> 1).description("always 1; the labels say which hub and version")
                .tags("version", Version.current(), "node", nodeName).register(meters);
        LiveEvents events = open.own(new LiveEvents(json));
        events.bindTo(meters);
        health.register("events", events::health);
        features(dataDir, events);
        extra.forEach(e -> add(e.getKey(), f -> e.getValue()));

        for (Feature f : features) {
            List<HealthCheck> checks = f.health();
            for (HealthCheck h : checks) {
                health.register(h.name(), untilStarted(f, h.state()));
            }
            if (checks.isEmpty()) {
                placeholders.add(f);
                health.register(f.name(), untilStarted(f, () -> ComponentHealth.up("started")));
            }
            for (MetricListener l : f.listeners()) {
                bus.add(l);
            }
        }
        bus.add(sample -> events.publish("reading", CoreWeb.toJson(sample)));
        // lights on/off with the configured hysteresis, live for the page and /api/metrics/latest
        bus.add(new LightsOnFeed(config.history().lightsOnLux(), config.history().lightsOffLux(), derived -> {
            telemetry.latest().onSample(derived);
            events.publish("reading", CoreWeb.toJson(derived));
        }));
        // the routes exist before the features start; each reaches its feature's state only when asked,
        // and the gate (after the identity gate) holds the API back until every feature is up
        List<WebModule> modules = new ArrayList<>();
        modules.add(new CoreWeb(health, telemetry.latest(), events, Version.current()));
        modules.add(new MetricsWeb(meters));
        webModules.forEach(m -> modules.add(m.get()));
        modules.add(starting);
        WebServer server = new WebServer(config.web(), json, events, modules);
        web = server;
        try {
            server.start();
            for (Feature f : features) {
                open.own(f);
                f.start();
                started.add(f);
                if (placeholders.contains(f)) {
                    health.remove(f.name());
                }
            }
        } catch (RuntimeException e) {
            server.close(); // first, as it would be last: no request reaches a feature being closed
            throw e;
        }
        open.own(server); // closed first
        starting.open();
        log.info("Beeper Keeper {} up: node '{}', data in {}", Version.current(), nodeName, dataDir.toAbsolutePath());
    }

    /** The hub's features in start order; a new feature is one line here. */
    private void features(Path dataDir, LiveEvents events) {
        HistoryFeature history = add(new HistoryFeature(config.history(), dataDir, clock, meters), h -> new HistoryWeb(h::store, clock));
        telemetry = add(new TelemetryFeature(config.mqtt(), dataDir, nodeName, Version.current(), json, clock, bus,
                new TelemetryFeature.HomeAssistant(pageUrl(), config.history().lightsOnLux(), config.history().lightsOffLux(),
                        List.copyOf(config.cameras().effective().keySet()),
                        config.cameras().effective().keySet().stream().filter(c -> config.motion().forCamera(c).enabled()).toList()), meters));
        // the sound level comes from the first camera with audio (one capture for stream and meter)
        boolean cameraMicrophone = !config.sensors().simulated()
                && config.cameras().effective().values().stream().anyMatch(c -> c.hasAudio());
        SensorsFeature sensors = add(new SensorsFeature(config.sensors().withCameraMetadataFrom(config.cameras()), Path.of("/sys"), Path.of("/proc"), dataDir,
                telemetry, clock, cameraMicrophone, PcmListener.SAMPLE_RATE));
        ViewersFeature viewers = add(new ViewersFeature(config.viewers(), clock, events::publish));
        IdentityGate gate = new IdentityGate(viewers::identify, viewers.howToGetIn());
        if (viewers.guardsEverything()) {
            webModules.add(() -> gate::guardEverything);
        }
        add(viewers, v -> new ViewersWebModule(v.presence(), gate));
        add(new ChatFeature(config.chat(), dataDir.resolve(HistoryFeature.DB_FILE), clock, events::publish),
                c -> new ChatWebModule(c::service, gate));
        MediaFeature media = add(new MediaFeature(config.cameras(), config.media(), events::publish,
                sensors.microphone()::feed, meters), m -> new MediaWebModule(m.outputs(), json));
        add(new WebRtcFeature(config.webrtc(), media, meters),
                w -> config.webrtc().enabled() ? new WhepModule(() -> w.server().orElseThrow()) : app -> { });
        add(new RtspFeature(config.rtsp(), media));
        // on a hot CPU the software-encoded cameras step down (rpicam's hardware encoder is left alone);
        // its dwell is timed like the cameras' deadlines, immune to the wall clock's NTP jump after boot
        add(new ThermalFeature(config.thermal(), media.cameras(), ThermalFeature.probe(config.thermal()),
                SteadyClock.create(), meters));
        add(new TimelapseFeature(config.timelapse(), media.cameras(), dataDir, config.history().zone(), clock, meters),
                TimelapseWeb::new);
        MotionFeature motion = add(new MotionFeature(config.motion(), media.cameras(), config.media().ffmpeg(), dataDir,
                dataDir.resolve(HistoryFeature.DB_FILE), clock, events::publish, meters), MotionWeb::new);
        RecordingsFeature recordings = add(new RecordingsFeature(config.recordings(), media.cameras(), dataDir,
                config.history().zone(), clock, config.media().ffmpeg(), json, meters), r -> new ClipsWeb(r, gate));
        motion.addListener(recordings.motionListener()); // a motion event records its camera, pre-roll and all
        // a simulated value (the demo) never notifies anyone
        AlertsFeature alerts = add(new AlertsFeature(config.alerts(), dataDir, config.history().zone(), clock, json, health::snapshot,
                new HistoryLights(history::store, config.history().zone()), events::publish, bus,
                io.beeperkeeper.metric.MetricSample::simulated, nodeName, config.mqtt(), telemetry::url,
                () -> (javax.net.ssl.SSLSocketFactory) javax.net.ssl.SSLSocketFactory.getDefault(), meters),
                a -> new AlertsWeb(a, gate));
        motion.addListener(new MotionListener() {
            @Override
            public void started(MotionEvent e) {
                telemetry.motion(e.camera(), true, Map.of("start", e.start().toString(), "zone", e.zone(), "id", e.id()));
                // to the alert rules ("motion in the coop between 22:00 and 05:00"), not into history; on the
                // rules' thread, as this runs under the camera's motion lock that health reads too
                alerts.onSampleLater(new io.beeperkeeper.metric.MetricSample(nodeName, "motion", 1, "", e.start(), e.camera()));
            }

            @Override
            public void ended(MotionEvent e) {
                telemetry.motion(e.camera(), false, Map.of("start", e.start().toString(), "end", e.end().orElse(e.start()).toString(),
                        "peak", e.peak(), "zone", e.zone(), "id", e.id()));
                alerts.onSampleLater(new io.beeperkeeper.metric.MetricSample(nodeName, "motion", 0, "", e.end().orElse(e.start()), e.camera()));
            }
        });
        alerts.onFiring(a -> recordings.alert(a.title())); // an alert records the cameras (recordings.alertCameras)
    }

    /** The page's address as Home Assistant links it: this machine's name when the hub listens on every address. */
    private String pageUrl() {
        String host = config.web().host();
        return "http://" + (host.isBlank() || host.equals("0.0.0.0") || host.equals("::") ? hostName() : host) + ":" + config.web().port() + "/";
    }

    private <F extends Feature> F add(F feature) {
        if (!features.contains(feature)) {
            features.add(feature);
        }
        return feature;
    }

    /** What a feature's health entry reads: "starting" until its start() has returned, then its own. */
    private Supplier<ComponentHealth> untilStarted(Feature f, Supplier<ComponentHealth> state) {
        return () -> started.contains(f) ? state.get() : ComponentHealth.starting("the hub is starting " + f.name());
    }

    /**
     * Adds a feature with its web adapter. The adapter is built before the feature starts (the page
     * answers meanwhile), so it takes what needs a started feature as a supplier; the startup gate
     * keeps requests from it until then.
     */
    private <F extends Feature> F add(F feature, Function<F, WebModule> web) {
        add(feature);
        webModules.add(() -> web.apply(feature));
        return feature;
    }


    private static String hostName() {
        try {
            String h = InetAddress.getLocalHost().getHostName();
            return h.replaceAll("[^A-Za-z0-9_-]", "-");
        } catch (IOException e) {
            return "beeper";
        }
    }

    /** The page's port: the bound one once the web server listens (0 before the hub has built it). */
    public int webPort() {
        WebServer w = web;
        return w == null ? 0 : w.port();
    }

    public String mqttUrl() {
        return telemetry.url();
    }

    public String nodeName() {
        return nodeName;
    }

    public HealthRegistry health() {
        return health;
    }

    @Override
    public void close() {
        open.close();
    }
}

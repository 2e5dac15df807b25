package io.beeperkeeper.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.config.AlertsConfig;
import io.beeperkeeper.config.MqttConfig;
import io.beeperkeeper.feature.Closer;
import io.beeperkeeper.feature.Feature;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.beeperkeeper.feature.PageEvents;
import io.beeperkeeper.feature.Threads;
import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.health.HealthCheck;
import io.beeperkeeper.metric.MetricListener;
import io.beeperkeeper.metric.MetricSample;
import io.beeperkeeper.mqtt.MqttLink;

import javax.net.ssl.SSLSocketFactory;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The alerts feature: the rules (husbandry defaults and the keeper's own) fed every sample and the
 * hub's health, the derived THI, the states kept in {@code alerts-state.json}, the history of past
 * alerts in {@code beeper.db}, and the delivery to the page (SSE {@code alert} events) and to the
 * configured channels. Its routes are in {@code web/alerts}.
 */
public final class AlertsFeature implements Feature, MetricListener {
    static final Duration TICK = Duration.ofSeconds(5);
    /** Tries per delivery: 1 s, 2 s, 4 s, 8 s, 16 s apart. */
    static final int ATTEMPTS = 6;

    private final AlertsConfig config;
    private final Path dataDir;
    private final Clock clock;
    private final ObjectMapper json;
    private final PageEvents page;
    private final Predicate<MetricSample> simulated;
    private final Thi thi;
    private final List<Rule> rules;
    private final List<String> channelNames;
    private final String node;
    private final MqttConfig mqtt;
    private final Supplier<String> mqttUrl;
    private final Supplier<SSLSocketFactory> emailTls;
    private volatile MqttLink mqttLink;
    private final Closer open = new Closer();
    private volatile AlertEngine engine;
    private volatile AlertHistory history;
    private volatile Dispatcher dispatcher;
    private volatile ScheduledExecutorService ticker;
    private final List<java.util.function.Consumer<AlertView>> onFiring = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * @param health     the hub's health entries (camera offline, store degraded, nodes)
     * @param lights     the store's lights-on periods and light hours
     * @param lightZone  the zone whose midnight ends a day of light (the store's)
     * @param derivedOut where the derived THI goes (the metric bus, so it is stored and shown too)
     * @param simulated  which samples come from a simulated sensor: never notified
     * @param node       this hub's node name (in messages and MQTT topics)
     * @param mqtt       the hub's MQTT settings (credentials, topic prefix)
     * @param mqttUrl    where the broker is, asked at start (the embedded one's address is known then)
     * @param emailTls   how the e-mail channel opens TLS after STARTTLS, asked only when e-mail is configured
     *                   (the JDK's default parses its whole CA store, about 1 MB of heap and classes)
     * @param meters     the hub's meter registry: each rule's state and each channel's deliveries
     */
    public AlertsFeature(AlertsConfig config, Path dataDir, ZoneId lightZone, Clock clock, ObjectMapper json,
                         Supplier<Map<String, ComponentHealth>> health, LightHistory lights, PageEvents page,
                         MetricListener derivedOut, Predicate<MetricSample> simulated, String node, MqttConfig mqtt,
                         Supplier<String> mqttUrl, Supplier<SSLSocketFactory> emailTls, MeterRegistry meters) {
        this.config = config;
        this.dataDir = dataDir;
        this.clock = clock;
        this.json = json;
        this.page = page;
        this.simulated = simulated;
        this.thi = new Thi(derivedOut);
        this.rules = config.enabled() ? HusbandryRules.build(config, health, lights, lightZone) : List.of();
        this.node = node;
        this.mqtt = mqtt;
        this.mqttUrl = mqttUrl;
        this.emailTls = emailTls;
        List<String> names = new ArrayList<>();
        if (config.enabled()) {
            if (!config.webhook().url().isEmpty()) {
                names.add("webhook");
            }
            if (!config.ntfy().topic().isEmpty()) {
                names.add("ntfy");
            }
            if (config.mqtt().enabled()) {
                names.add("mqtt");
            }
            if (config.email().on()) {
                names.add("email");
            }
        }
        this.channelNames = List.copyOf(names);
        registerMeters(meters);
    }

    /**
     * {@code beeper_alert_state{rule, state}}: 1 for the state each rule is in, 0 for the others (the
     * usual shape of an enum in Prometheus); deliveries per channel, sent and failed.
     */
    private void registerMeters(MeterRegistry meters) {
        for (Rule r : rules) {
            for (AlertState st : AlertState.values()) {
                Gauge.builder("beeper.alert.state", this, f -> f.stateOf(r.id()) == st ? 1 : 0)
                        .description("1 for the state the alert rule is in (ok, pending, firing, resolved), 0 otherwise")
                        .tags("rule", r.id(), "severity", r.severity().name().toLowerCase(java.util.Locale.ROOT), "state", st.label())
                        .register(meters);
            }
        }
        if (!config.enabled()) {
            return;
        }
        List<String> lanes = new ArrayList<>();
        lanes.add("history");
        lanes.addAll(channelNames);
        for (String channel : lanes) {
            FunctionCounter.builder("beeper.alert.notifications", this, f -> f.delivery(channel, Dispatcher.Stats::sent))
                    .description("alert notifications per channel and result").tags("channel", channel, "result", "sent").register(meters);
            FunctionCounter.builder("beeper.alert.notifications", this, f -> f.delivery(channel, Dispatcher.Stats::failed))
                    .description("alert notifications per channel and result").tags("channel", channel, "result", "failed").register(meters);
        }
    }

    private AlertState stateOf(String rule) {
        AlertEngine e = engine;
        return e == null ? null : e.state(rule).orElse(null);
    }

    private double delivery(String channel, java.util.function.ToLongFunction<Dispatcher.Stats> count) {
        return deliveries().stream().filter(s -> s.name().equals(channel)).mapToLong(count).sum();
    }

    /** The configured channels, made at start (an HTTP client starts a thread). */
    private List<Channel> channels(java.util.function.Supplier<List<AlertView>> views) {
        List<Channel> out = new ArrayList<>();
        HttpClient http = null;
        if (channelNames.contains("webhook") || channelNames.contains("ntfy")) {
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        }
        if (channelNames.contains("webhook")) {
            out.add(new WebhookChannel(config.webhook().url(), config.webhook().secret(), node, json, http));
        }
        if (channelNames.contains("ntfy")) {
            out.add(new NtfyChannel(config.ntfy().url(), config.ntfy().topic(), config.ntfy().token(), node, http));
        }
        if (channelNames.contains("mqtt")) {
            // the hub's one kind of MQTT link: the same credentials, and TLS trusting mqtt.caFile for ssl://
            MqttLink link = open.own(MqttLink.of(mqtt, mqttUrl.get(), mqtt.clientId() + "-alerts-"
                    + java.util.UUID.randomUUID().toString().substring(0, 8)));
            out.add(new MqttChannel(link, mqtt.topicPrefix(), node, json, config.mqtt().homeAssistant(), views));
            mqttLink = link;
        }
        if (channelNames.contains("email")) {
            out.add(new EmailChannel(config.email(), node, emailTls.get()));
        }
        return out;
    }

    @Override
    public String name() {
        return "alerts";
    }

    @Override
    public void start() {
        if (!config.enabled()) {
            return;
        }
        history = open.own(new AlertHistory(dataDir.resolve(io.beeperkeeper.history.HistoryFeature.DB_FILE)));
        List<Channel> all = new ArrayList<>();
        all.add(history);
        java.util.concurrent.atomic.AtomicReference<AlertEngine> ref = new java.util.concurrent.atomic.AtomicReference<>();
        all.addAll(channels(() -> ref.get() == null ? List.of() : ref.get().views()));
        dispatcher = open.own(new Dispatcher(all, ATTEMPTS, Duration.ofSeconds(1)));
        Dispatcher d = dispatcher;
        AlertSink sink = e -> {
            page.publish("alert", pageEvent(e));
            d.accept(e);
            if (e.type() == AlertEvent.Type.FIRING) {
                for (java.util.function.Consumer<AlertView> l : onFiring) {
                    l.accept(e.alert());
                }
            }
        };
        LocalTime[] quiet = config.quiet();
        AlertEngine.Policy policy = new AlertEngine.Policy(Duration.ofMinutes(config.renotifyMinutes()),
                quiet == null ? null : quiet[0], quiet == null ? null : quiet[1], config.zone());
        AlertEngine e = new AlertEngine(rules, clock, policy, new StateFile(dataDir.resolve(StateFile.NAME), json), sink);
        e.restore();
        ref.set(e);
        engine = e;
        if (mqttLink != null) {
            mqttLink.start();
        }
        ticker = Executors.newSingleThreadScheduledExecutor(Threads.daemon("alerts-rules"));
        open.own(ticker::shutdownNow);
        ticker.scheduleWithFixedDelay(() -> {
            try {
                e.tick();
            } catch (RuntimeException ex) {
                org.slf4j.LoggerFactory.getLogger(AlertsFeature.class).warn("alert rules failed: {}", ex.toString());
            }
        }, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Map<String, Object> pageEvent(AlertEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", e.type().label());
        m.put("push", e.push());
        m.put("alert", e.alert().toJson());
        return m;
    }

    @Override
    public List<HealthCheck> health() {
        List<HealthCheck> out = new ArrayList<>();
        out.add(new HealthCheck("alerts", () -> {
            AlertEngine e = engine;
            if (!config.enabled()) {
                return ComponentHealth.up("switched off (alerts.enabled: false)");
            }
            if (e == null) {
                return ComponentHealth.starting("not started");
            }
            long firing = e.views().stream().filter(v -> v.state().equals("firing")).count();
            String text = e.rules().size() + " rules, " + firing + " firing";
            return e.saveFailures() > 0 ? ComponentHealth.degraded(text + "; states not saved: " + e.lastSaveError())
                    : ComponentHealth.up(text);
        }));
        for (String name : channelNames) {
            out.add(new HealthCheck("alerts." + name, () -> {
                Dispatcher d = dispatcher;
                if (d == null) {
                    return ComponentHealth.starting("not started");
                }
                return d.stats().stream().filter(s -> s.name().equals(name)).findFirst()
                        .map(Dispatcher::health).orElse(ComponentHealth.down("no such channel"));
            }));
        }
        return out;
    }

    @Override
    public List<MetricListener> listeners() {
        return List.of(this);
    }

    @Override
    public void onSample(MetricSample s) {
        AlertEngine e = engine;
        if (e == null) {
            return;
        }
        e.onSample(s, simulated.test(s));
        thi.onSample(s);
    }

    /**
     * Tells {@code listener} each time an alert starts firing (once per episode, not its reminders),
     * on the rules' thread: it must return at once. Register before {@link #start()}.
     */
    public void onFiring(java.util.function.Consumer<AlertView> listener) {
        onFiring.add(listener);
    }

    /**
     * A sample from a part of the hub that calls while holding its own lock (the motion detector): it
     * is handed to the rules' own thread, since the engine reads every part's health under its lock.
     */
    public void onSampleLater(MetricSample s) {
        ScheduledExecutorService t = ticker;
        if (t == null) {
            return;
        }
        try {
            t.execute(() -> onSample(s));
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the hub is stopping
        }
    }

    /** The running engine (after {@link #start()}), for the web adapter. */
    public AlertEngine engine() {
        AlertEngine e = engine;
        if (e == null) {
            throw new IllegalStateException(config.enabled() ? "alerts are not started" : "alerts are switched off");
        }
        return e;
    }

    /** Past alerts, for the web adapter. */
    public AlertHistory history() {
        AlertHistory h = history;
        if (h == null) {
            throw new IllegalStateException("alerts are not started");
        }
        return h;
    }

    public boolean enabled() {
        return config.enabled();
    }

    public List<Dispatcher.Stats> deliveries() {
        Dispatcher d = dispatcher;
        return d == null ? List.of() : d.stats();
    }

    @Override
    public void close() {
        engine = null;
        open.close();
    }
}

package io.beeperkeeper.mqtt;

import io.beeperkeeper.StartupException;
import io.beeperkeeper.config.MqttConfig;
import io.beeperkeeper.health.ComponentHealth;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.SocketFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * One MQTT client connection (Paho) that keeps itself connected: the first connect is retried with
 * backoff (1 s doubling to 30 s) forever, later drops are handled by Paho's automatic reconnect, and
 * subscriptions are renewed after every reconnect. Optionally it carries a last will (the node's
 * availability topic, retained "offline"), a TLS socket factory for an external broker, and actions to
 * run after every (re)connect (announce "online", re-publish Home Assistant discovery, drain the queue of
 * readings kept while the broker was away). Publishing with QoS 1 waits for the broker's acknowledgement.
 * Every MQTT connection of the hub is one of these (telemetry's publishing and subscribing links, the
 * alerts' link), made by {@link #of}, so each honours the same settings: credentials, and for an
 * {@code ssl://} broker TLS that trusts {@code mqtt.caFile}.
 */
public final class MqttLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MqttLink.class);

    /** A topic filter and what to do with each message on it. */
    private record Subscription(String filter, int qos, BiConsumer<String, MqttMessage> handler) {
    }

    private final String url;
    private final String clientId;
    private final String username;
    private final String password;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final List<Runnable> onConnect = new CopyOnWriteArrayList<>();
    private volatile String willTopic;
    private volatile byte[] willPayload;
    private volatile SocketFactory socketFactory;
    private final ScheduledExecutorService connector;
    private volatile MqttClient client;
    private volatile String lastError = "not connected yet";
    private volatile boolean closed;

    public MqttLink(String url, String clientId, String username, String password) {
        this.url = url;
        this.clientId = clientId;
        this.username = username;
        this.password = password;
        this.connector = io.beeperkeeper.feature.Threads.occasional("mqtt-connect-" + clientId);
    }

    /**
     * A link to {@code url} with the hub's MQTT credentials; an {@code ssl://} URL gets TLS that trusts
     * the PEM CA in {@code mqtt.caFile} (the JVM's trusted CAs when it is empty).
     *
     * @throws StartupException when the CA file cannot be read (the keeper fixes mqtt.caFile)
     */
    public static MqttLink of(MqttConfig config, String url, String clientId) {
        MqttLink link = new MqttLink(url, clientId, config.username(), config.password());
        if (url.startsWith("ssl://")) {
            try {
                link.setSocketFactory(MqttTls.socketFactory(config.caFile()));
            } catch (IOException e) {
                throw new StartupException(e.getMessage() + " (check mqtt.caFile)", e);
            }
        }
        return link;
    }

    /** Registers a subscription, effective now if connected and after every (re)connect. */
    public void subscribe(String filter, int qos, BiConsumer<String, MqttMessage> handler) {
        Subscription s = new Subscription(filter, qos, handler);
        subscriptions.add(s);
        MqttClient c = client;
        if (c != null && c.isConnected()) {
            subscribeNow(c, s);
        }
    }

    /** A retained last will the broker publishes if this client vanishes; set before {@link #start()}. */
    public void setWill(String topic, String payload) {
        this.willTopic = topic;
        this.willPayload = payload.getBytes(StandardCharsets.UTF_8);
    }

    /** TLS (or another transport) for ssl:// URLs; set before {@link #start()}. */
    public void setSocketFactory(SocketFactory factory) {
        this.socketFactory = factory;
    }

    /** Runs after every connect and reconnect, on the link's own thread (never Paho's callback thread). */
    public void onConnect(Runnable action) {
        onConnect.add(action);
    }

    /** Starts connecting in the background; returns at once. */
    public void start() {
        try {
            MqttClient c = new MqttClient(url, clientId, new MemoryPersistence());
            c.setCallback(new Callback());
            c.setTimeToWait(10_000);
            client = c;
        } catch (MqttException | IllegalArgumentException e) {
            throw new IllegalArgumentException("bad MQTT broker address '" + url + "': " + e.getMessage()
                    + " (set mqtt.url like tcp://host:1883)", e);
        }
        connector.execute(() -> connect(1000));
    }

    /** Waits until connected; for start-up ordering and tests. */
    public boolean awaitConnected(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            if (connected()) {
                return true;
            }
            Thread.sleep(20);
        }
        return connected();
    }

    private void connect(long backoffMillis) {
        if (closed) {
            return;
        }
        MqttConnectOptions options = new MqttConnectOptions();
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay(30_000);
        options.setCleanSession(true);
        options.setConnectionTimeout(10);
        options.setKeepAliveInterval(30);
        options.setMaxInflight(1000);
        if (willTopic != null) {
            options.setWill(willTopic, willPayload, 1, true);
        }
        if (socketFactory != null) {
            options.setSocketFactory(socketFactory);
        }
        if (!username.isEmpty()) {
            options.setUserName(username);
            options.setPassword(password.toCharArray());
        }
        try {
            client.connect(options);
        } catch (MqttException e) {
            lastError = e.getMessage() + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : "");
            log.warn("MQTT {} cannot connect to {}: {}; retrying in {} s", clientId, url, lastError, backoffMillis / 1000);
            connector.schedule(() -> connect(Math.min(backoffMillis * 2, 30_000)), backoffMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void subscribeNow(MqttClient c, Subscription s) {
        try {
            c.subscribe(s.filter(), s.qos(), (topic, message) -> {
                try {
                    s.handler().accept(topic, message);
                } catch (RuntimeException e) {
                    log.warn("MQTT handler for {} failed on {}: {}", s.filter(), topic, e.toString());
                }
            });
        } catch (MqttException e) {
            log.warn("MQTT {} cannot subscribe to {}: {}", clientId, s.filter(), e.getMessage());
        }
    }

    /**
     * Publishes if connected.
     *
     * @return false when the broker is not reachable right now (the caller decides to queue or drop)
     */
    public boolean publish(String topic, byte[] payload, int qos, boolean retained) {
        MqttClient c = client;
        if (c == null || !c.isConnected()) {
            return false;
        }
        try {
            MqttMessage m = new MqttMessage(payload);
            m.setQos(qos);
            m.setRetained(retained);
            c.publish(topic, m);
            return true;
        } catch (MqttException e) {
            lastError = e.getMessage();
            return false;
        }
    }

    public boolean connected() {
        MqttClient c = client;
        return c != null && c.isConnected();
    }

    public ComponentHealth health() {
        return connected() ? ComponentHealth.up("connected to " + url)
                : ComponentHealth.down("not connected to " + url + ": " + lastError);
    }

    /** Drops the connection without a DISCONNECT packet, as a crash or a pulled plug would (tests the last will). */
    public void abandon() throws MqttException {
        closed = true;
        connector.shutdownNow();
        MqttClient c = client;
        if (c != null) {
            c.disconnectForcibly(0, 100, false);
            c.close(true);
        }
    }

    @Override
    public void close() {
        closed = true;
        connector.shutdownNow();
        MqttClient c = client;
        if (c != null) {
            try {
                if (c.isConnected()) {
                    c.disconnect(1000);
                }
                c.close(true);
            } catch (MqttException e) {
                log.debug("MQTT close: {}", e.getMessage());
            }
        }
    }

    private final class Callback implements MqttCallbackExtended {
        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            log.info("MQTT {} {} to {}", clientId, reconnect ? "reconnected" : "connected", serverURI);
            for (Subscription s : subscriptions) {
                subscribeNow(client, s);
            }
            if (!onConnect.isEmpty() && !closed) {
                connector.execute(() -> {
                    for (Runnable r : onConnect) {
                        try {
                            r.run();
                        } catch (RuntimeException e) {
                            log.warn("MQTT {} after-connect action failed: {}", clientId, e.toString());
                        }
                    }
                });
            }
        }

        @Override
        public void connectionLost(Throwable cause) {
            lastError = cause == null ? "connection lost" : cause.getMessage();
            log.warn("MQTT {} lost the broker: {}; reconnecting", clientId, lastError);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            // delivered through the per-subscription listeners
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }
    }
}

package io.beeperkeeper.telemetry;

import io.beeperkeeper.Ports;
import io.beeperkeeper.StartupException;
import io.moquette.broker.Server;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.moquette.broker.config.MemoryConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.moquette.broker.security.AcceptAllAuthenticator;
import io.moquette.broker.security.IAuthenticator;
import ch.qos.logback.classic.LoggerContext;
import io.beeperkeeper.health.ComponentHealth;
import java.time.Clock;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Properties;

/**
 * The MQTT broker inside the hub (Moquette), so a single coop needs no Mosquitto. Telemetry to
 * Moquette's authors is switched off, nothing is persisted (readings are transient; history keeps
 * them), and its WebSocket listener is disabled. A client without a client id gets one assigned, as
 * Mosquitto does, so {@code mosquitto_sub -h HOST -t 'beeper/#' -v} works as written. Each client's
 * publish rate is limited ({@link BrokerGuard}; the hub's own connections are trusted), and a message
 * it cannot decode is one counted log line ({@link BrokerLogFilter}), not a stack trace. With a username and password set, every client (the
 * hub's own and remote nodes') must present them; anonymous clients are refused.
 */
final class EmbeddedBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final String host;
    private final String username;
    private final String password;
    private final BrokerGuard guard;
    private final BrokerLogFilter logFilter;
    private int port;
    private Server server;

    public EmbeddedBroker(String host, int port) {
        this(host, port, "", "");
    }

    /** A broker without a per-client rate limit. */
    public EmbeddedBroker(String host, int port, String username, String password) {
        this(host, port, username, password, 0, Clock.systemUTC());
    }

    /** @param clientMessagesPerSecond each client's average publish rate (bursts of 5 s worth); 0: no limit */
    public EmbeddedBroker(String host, int port, String username, String password, double clientMessagesPerSecond, Clock clock) {
        this.host = host;
        this.port = port;
        this.username = username == null ? "" : username;
        this.password = password == null ? "" : password;
        this.guard = new BrokerGuard(clientMessagesPerSecond, clock);
        this.logFilter = new BrokerLogFilter(clock);
    }

    /** A client id of the hub's own connections: never rate-limited. */
    public void trust(String clientId) {
        guard.trust(clientId);
    }

    /** Starts listening; a taken port gives an error message that names the setting to change. */
    public void start() {
        if (port == 0) {
            port = Ports.freePort();
        }
        Ports.requireFree(host, port, "MQTT", "mqtt.port in beeper.yaml or BEEPER_MQTT_PORT (or mqtt.broker: external to use a broker that already runs there)");
        Properties p = new Properties();
        p.setProperty("host", host);
        p.setProperty("port", Integer.toString(port));
        p.setProperty("websocket_port", "disabled");
        boolean auth = !username.isEmpty();
        p.setProperty("allow_anonymous", Boolean.toString(!auth));
        p.setProperty("persistence_enabled", "false");
        p.setProperty("telemetry_enabled", "false");
        p.setProperty("use_metrics", "false");
        p.setProperty("use_bugsnag", "false");
        p.setProperty("netty.mqtt.message_size", Integer.toString(256 * 1024));
        // MQTT 3.1.1 (3.1.3.1) lets a broker assign an id to a client that sends none with a clean
        // session, as Mosquitto does; mosquitto_sub and many tools rely on it
        p.setProperty("allow_zero_byte_client_id", "true");
        Server s = new Server();
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logs) {
            logs.addTurboFilter(logFilter);
        }
        try {
            s.startServer(new MemoryConfig(p), List.of(), null, auth ? new PasswordCheck(username, password) : new AcceptAllAuthenticator(), guard);
        } catch (IOException | RuntimeException e) {
            removeLogFilter();
            throw new StartupException("the embedded MQTT broker could not start on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        server = s;
        log.info("MQTT broker (embedded) listening on {}:{}{}", host, port, auth ? " (username and password required)" : "");
    }

    /**
     * Publishes from inside the hub, as its own client would but without the round trip over a socket
     * and its acknowledgement: subscribers get it as from any client. False when the broker is stopped.
     */
    public boolean publish(String topic, byte[] payload, int qos, boolean retained, String clientId) {
        Server s = server;
        if (s == null) {
            return false;
        }
        guard.accepted(topic);
        s.internalPublish(MqttMessageBuilders.publish().topicName(topic).qos(MqttQoS.valueOf(qos)).retained(retained)
                .payload(Unpooled.wrappedBuffer(payload)).build(), clientId);
        return true;
    }

    public String url() {
        String h = "0.0.0.0".equals(host) ? "127.0.0.1" : host;
        return "tcp://" + h + ":" + port;
    }

    public boolean running() {
        return server != null;
    }

    /** The broker's health line: where it listens, clients over the rate limit, undecodable messages. */
    public ComponentHealth health() {
        if (server == null) {
            return ComponentHealth.down("embedded broker stopped");
        }
        return ComponentHealth.up("embedded, " + url() + "; " + guard.summary() + "; "
                + logFilter.undecodable() + " undecodable messages (over 256 KB or garbage) refused; "
                + logFilter.queueFull() + " messages dropped while its queue was full, "
                + logFilter.deliveryQueueFull() + " on their way to a subscriber whose queue was full");
    }

    /** Counts accepted messages on reading topics under {@code prefix} ({@link #acceptedReadings()}). */
    public void countReadingsUnder(String prefix) {
        guard.countReadingsUnder(prefix);
    }

    /** Messages on reading topics the broker accepted for delivery. */
    public long acceptedReadings() {
        return guard.acceptedReadings();
    }

    /** PUBLISHes not accepted because their client was over the rate limit. */
    public long rateLimited() {
        return guard.refused();
    }

    /** PUBLISHes the broker dropped unrouted because its session queue was full (QoS 0 floods). */
    public long queueFull() {
        return logFilter.queueFull();
    }

    /** Messages the broker could not decode (over 256 KB, garbage); each disconnected its client. */
    public long undecodable() {
        return logFilter.undecodable();
    }

    private void removeLogFilter() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logs) {
            logs.getTurboFilterList().remove(logFilter);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stopServer();
            server = null;
            removeLogFilter();
        }
    }

    /** The one account the embedded broker accepts; compared in constant time. */
    private record PasswordCheck(String username, String password) implements IAuthenticator {
        @Override
        public boolean checkValid(String clientId, String user, byte[] pass) {
            return user != null && pass != null
                    && MessageDigest.isEqual(user.getBytes(StandardCharsets.UTF_8), username.getBytes(StandardCharsets.UTF_8))
                    & MessageDigest.isEqual(pass, password.getBytes(StandardCharsets.UTF_8));
        }
    }
}

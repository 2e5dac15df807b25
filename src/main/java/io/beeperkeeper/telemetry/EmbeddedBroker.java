package io.beeperkeeper.telemetry;

import io.beeperkeeper.Ports;
import io.beeperkeeper.StartupException;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.moquette.broker.security.IAuthenticator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Properties;

/**
 * The MQTT broker inside the hub (Moquette), so a single coop needs no Mosquitto. Telemetry to
 * Moquette's authors is switched off, nothing is persisted (readings are transient; history keeps
 * them), and its WebSocket listener is disabled. A client without a client id gets one assigned, as
 * Mosquitto does, so {@code mosquitto_sub -h HOST -t 'beeper/#' -v} works as written. With a username and password set, every client (the
 * hub's own and remote nodes') must present them; anonymous clients are refused.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final String host;
    private final String username;
    private final String password;
    private int port;
    private Server server;

    public EmbeddedBroker(String host, int port) {
        this(host, port, "", "");
    }

    public EmbeddedBroker(String host, int port, String username, String password) {
        this.host = host;
        this.port = port;
        this.username = username == null ? "" : username;
        this.password = password == null ? "" : password;
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
        try {
            if (auth) {
                s.startServer(new MemoryConfig(p), List.of(), null, new PasswordCheck(username, password), null);
            } else {
                s.startServer(new MemoryConfig(p));
            }
        } catch (IOException | RuntimeException e) {
            throw new StartupException("the embedded MQTT broker could not start on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        server = s;
        log.info("MQTT broker (embedded) listening on {}:{}{}", host, port, auth ? " (username and password required)" : "");
    }

    public String url() {
        String h = "0.0.0.0".equals(host) ? "127.0.0.1" : host;
        return "tcp://" + h + ":" + port;
    }

    public boolean running() {
        return server != null;
    }

    @Override
    public void close() {
        if (server != null) {
            server.stopServer();
            server = null;
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

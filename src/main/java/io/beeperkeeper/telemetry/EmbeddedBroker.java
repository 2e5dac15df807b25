package io.beeperkeeper.telemetry;

import io.beeperkeeper.Ports;
import io.beeperkeeper.StartupException;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Properties;

/**
 * The MQTT broker inside the hub (Moquette), so a single coop needs no Mosquitto. Telemetry to
 * Moquette's authors is switched off, nothing is persisted (readings are transient; history keeps
 * them), and its WebSocket listener is disabled.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final String host;
    private int port;
    private Server server;

    public EmbeddedBroker(String host, int port) {
        this.host = host;
        this.port = port;
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
        p.setProperty("allow_anonymous", "true");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("telemetry_enabled", "false");
        p.setProperty("use_metrics", "false");
        p.setProperty("use_bugsnag", "false");
        p.setProperty("netty.mqtt.message_size", Integer.toString(256 * 1024));
        Server s = new Server();
        try {
            s.startServer(new MemoryConfig(p));
        } catch (IOException | RuntimeException e) {
            throw new StartupException("the embedded MQTT broker could not start on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        server = s;
        log.info("MQTT broker (embedded) listening on {}:{}", host, port);
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
}

package io.beeperkeeper.config;

import java.util.Set;

/**
 * The MQTT side: either the embedded broker (host/port are where it listens) or an external broker
 * reached through {@code url}.
 */
public record MqttConfig(String broker, String host, int port, String url, String username, String password,
                         String topicPrefix, String clientId) {
    private static final Set<String> BROKERS = Set.of("embedded", "external");

    public MqttConfig {
        ConfigException.require(broker != null && BROKERS.contains(broker), "mqtt.broker", broker, "embedded or external");
        ConfigException.require(host != null && !host.isBlank(), "mqtt.host", host, "an IP address to bind the embedded broker, such as 127.0.0.1 or 0.0.0.0");
        ConfigException.require(port >= 0 && port <= 65535, "mqtt.port", port, "a TCP port 1-65535 (0 picks a free one)");
        ConfigException.require(!"external".equals(broker) || (url != null && url.matches("(tcp|ssl)://[^\\s]+:\\d+")),
                "mqtt.url", url, "tcp://HOST:PORT or ssl://HOST:PORT when mqtt.broker is external");
        ConfigException.require(topicPrefix != null && topicPrefix.matches("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*"),
                "mqtt.topicPrefix", topicPrefix, "letters, digits, '-', '_' and '/' between levels, such as beeper");
        ConfigException.require(clientId != null && !clientId.isBlank(), "mqtt.clientId", clientId, "a non-empty MQTT client id");
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        url = url == null ? "" : url;
    }

    public static MqttConfig defaults() {
        return new MqttConfig("embedded", "127.0.0.1", 1883, "", "", "", "beeper", "beeper-hub");
    }

    public boolean embedded() {
        return "embedded".equals(broker);
    }
}

package io.beeperkeeper.config;

import java.util.Set;

/**
 * The MQTT side: either the embedded broker (host/port are where it listens) or an external broker
 * reached through {@code url}. {@code username}/{@code password} are what this process presents, and,
 * with the embedded broker, what it demands from every client (remote nodes included). {@code caFile}
 * is a PEM CA for an {@code ssl://} broker with a home-made certificate. {@code seedTopics} keeps the
 * seed's exact topics ({@code beeper/sensors/...}) for an existing Telegraf instead of
 * {@code beeper/<node>/...}. {@code queueMaxMessages} bounds the on-disk queue of readings kept while the
 * broker is away, {@code queueMaxAgeHours} how old a reading may be and still count (replayed from the
 * queue, or accepted by the hub). {@code homeAssistantDiscovery} announces every metric to Home
 * Assistant. {@code acceptNodes} names the other nodes whose readings the hub takes: a reading from any
 * other node name is refused, so nobody who can publish on the broker can grow the stored series.
 * {@code clientMessagesPerSecond} limits each client of the embedded broker (the hub's own excepted),
 * so one flooding client cannot crowd out the nodes' readings. A node of {@code acceptNodes} that has sent
 * nothing for {@code nodeOfflineMinutes} is offline in health ({@code node.<name>}), which the alerts'
 * node rules read.
 */
public record MqttConfig(String broker, String host, int port, String url, String username, String password,
                         String topicPrefix, String clientId, String caFile, boolean seedTopics, int queueMaxMessages,
                         boolean homeAssistantDiscovery, int queueMaxAgeHours, String acceptNodes,
                         int clientMessagesPerSecond, int nodeOfflineMinutes) {
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
        caFile = caFile == null ? "" : caFile;
        ConfigException.require(username.isEmpty() == password.isEmpty(), "mqtt.password", password.isEmpty() ? "" : "***",
                "set both mqtt.username and mqtt.password, or neither");
        ConfigException.require(queueMaxMessages >= 1 && queueMaxMessages <= 10_000_000, "mqtt.queueMaxMessages", queueMaxMessages,
                "1-10000000 readings kept on disk while the broker is away");
        ConfigException.require(queueMaxAgeHours >= 1 && queueMaxAgeHours <= 24 * 366, "mqtt.queueMaxAgeHours", queueMaxAgeHours,
                "1-8784 hours: readings older than this are neither replayed from the disk queue nor accepted by the hub");
        ConfigException.require(clientMessagesPerSecond >= 0 && clientMessagesPerSecond <= 1_000_000, "mqtt.clientMessagesPerSecond",
                clientMessagesPerSecond, "0-1000000 messages a second per client of the embedded broker (0: no limit)");
        ConfigException.require(nodeOfflineMinutes >= 1 && nodeOfflineMinutes <= 10_080, "mqtt.nodeOfflineMinutes", nodeOfflineMinutes,
                "1-10080 minutes without a reading after which a node of mqtt.acceptNodes is offline in /api/health");
        acceptNodes = acceptNodes == null ? "" : acceptNodes.trim();
        for (String n : acceptNodeList(acceptNodes)) {
            ConfigException.require(n.matches("[A-Za-z0-9_-]{1,64}"), "mqtt.acceptNodes", acceptNodes,
                    "node names (1-64 letters, digits, '-' or '_') separated by commas, such as coop2,henhouse");
        }
    }

    /** The skeleton's settings; the rest at their defaults. */
    public MqttConfig(String broker, String host, int port, String url, String username, String password,
                      String topicPrefix, String clientId) {
        this(broker, host, port, url, username, password, topicPrefix, clientId, "", true, 100_000, true, 72, "", 200, 5);
    }

    public static MqttConfig defaults() {
        return new MqttConfig("embedded", "127.0.0.1", 1883, "", "", "", "beeper", "beeper-hub");
    }

    /** The other nodes whose readings this hub accepts (its own always). */
    public Set<String> acceptedNodes() {
        return Set.copyOf(acceptNodeList(acceptNodes));
    }

    private static java.util.List<String> acceptNodeList(String csv) {
        return java.util.Arrays.stream(csv.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    public boolean embedded() {
        return "embedded".equals(broker);
    }
}

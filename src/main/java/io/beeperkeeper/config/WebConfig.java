package io.beeperkeeper.config;

/** The HTTP server: where it listens. */
public record WebConfig(String host, int port) {
    public WebConfig {
        ConfigException.require(host != null && !host.isBlank(), "web.host", host, "an IP address or host name such as 0.0.0.0 or 127.0.0.1");
        ConfigException.require(port >= 0 && port <= 65535, "web.port", port, "a TCP port 1-65535 (0 picks a free one)");
    }

    public static WebConfig defaults() {
        return new WebConfig("0.0.0.0", 8080);
    }
}

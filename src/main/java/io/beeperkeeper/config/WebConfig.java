package io.beeperkeeper.config;

/**
 * The HTTP server: where it listens and which host names it answers to.
 *
 * @param allowedHosts comma-separated host names the page is opened under besides this machine's own
 *                     names, its addresses and localhost (a tunnel's or reverse proxy's public name,
 *                     such as coop.example.com); {@code *} answers to any (DNS rebinding unchecked)
 */
public record WebConfig(String host, int port, String allowedHosts) {
    public WebConfig {
        ConfigException.require(host != null && !host.isBlank(), "web.host", host, "an IP address or host name such as 0.0.0.0 or 127.0.0.1");
        ConfigException.require(port >= 0 && port <= 65535, "web.port", port, "a TCP port 1-65535 (0 picks a free one)");
        allowedHosts = allowedHosts == null ? "" : allowedHosts.trim();
        for (String p : allowedHosts.split(",")) {
            String h = p.trim();
            ConfigException.require(h.isEmpty() || h.equals("*") || h.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})?\\.?"),
                    "web.allowedHosts", allowedHosts,
                    "comma-separated host names without scheme or port, such as coop.example.com, raspberrypi.fritz.box; or *");
        }
    }

    public static WebConfig defaults() {
        return new WebConfig("0.0.0.0", 8080, "");
    }
}

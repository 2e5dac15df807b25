package io.beeperkeeper.config;

/**
 * RTSP out: every camera at {@code rtsp://<hub>:<port>/<camera>} for Home Assistant, Frigate, VLC and
 * NVRs, over TCP (interleaved) or UDP, the camera's own H.264 and audio, never transcoded.
 *
 * @param enabled               serve RTSP at all
 * @param host                  the address the RTSP server binds ({@code 0.0.0.0}: all, like the web server)
 * @param port                  the RTSP (TCP) port; 0 picks a free one (tests)
 * @param udpPort               the even UDP port RTP leaves from over UDP (RTCP on the next one); 0 picks a free pair
 * @param username              with a password, every client must log in (Digest, or Basic); empty: no login
 * @param password              the password for {@code username}
 * @param maxClients            connections at once; more are refused at once
 * @param sessionTimeoutSeconds a client that sends nothing (no request, no RTCP) this long is dropped
 */
public record RtspConfig(boolean enabled, String host, int port, int udpPort, String username, String password,
                         int maxClients, int sessionTimeoutSeconds) {
    public RtspConfig {
        ConfigException.require(host != null && !host.isBlank(), "rtsp.host", host, "an IP address such as 0.0.0.0 or 127.0.0.1");
        ConfigException.require(port >= 0 && port <= 65535, "rtsp.port", port, "a TCP port 1-65535 (0 picks a free one)");
        ConfigException.require(udpPort == 0 || (udpPort >= 1024 && udpPort <= 65534 && udpPort % 2 == 0), "rtsp.udpPort", udpPort,
                "an even UDP port 1024-65534 (RTCP uses the next one; 0 picks a free pair)");
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        ConfigException.require(username.isEmpty() == password.isEmpty(), username.isEmpty() ? "rtsp.username" : "rtsp.password", "",
                "both rtsp.username and rtsp.password, or neither (no login)");
        ConfigException.require(!username.contains(":") && username.chars().noneMatch(Character::isISOControl), "rtsp.username",
                username, "a user name without ':' or control characters");
        ConfigException.require(maxClients >= 1 && maxClients <= 1000, "rtsp.maxClients", maxClients, "a number from 1 to 1000");
        ConfigException.require(sessionTimeoutSeconds >= 10 && sessionTimeoutSeconds <= 3600, "rtsp.sessionTimeoutSeconds",
                sessionTimeoutSeconds, "seconds from 10 to 3600 (clients send a keep-alive well within it)");
    }

    public static RtspConfig defaults() {
        return new RtspConfig(true, "0.0.0.0", 8554, 8000, "", "", 20, 60);
    }

    /** Whether clients must log in. */
    public boolean requiresLogin() {
        return !username.isEmpty();
    }

    @Override
    public String toString() {
        return "RtspConfig[enabled=" + enabled + ", host=" + host + ", port=" + port + ", udpPort=" + udpPort
                + ", login=" + (requiresLogin() ? username : "none") + ", maxClients=" + maxClients + "]";
    }
}

package io.beeperkeeper.config;

import java.util.Arrays;
import java.util.List;

/**
 * WebRTC (WHEP) serving: one UDP port carries every session (ICE-lite, DTLS-SRTP).
 *
 * @param enabled              serve WHEP at all
 * @param udpHost              the address the UDP socket binds ({@code 0.0.0.0}: all)
 * @param udpPort              the one UDP port for all sessions (0 picks a free one, for tests)
 * @param addresses            comma-separated IP addresses announced as ICE candidates in addition to
 *                             the address the browser reached the hub's HTTP server at (empty: only that one)
 * @param maxSessionsPerCamera at most this many WebRTC viewers per camera; more get 503
 * @param consentTimeoutSeconds a session whose browser stops its STUN consent checks this long is closed
 */
public record WebRtcConfig(boolean enabled, String udpHost, int udpPort, String addresses, int maxSessionsPerCamera,
                           int consentTimeoutSeconds) {
    public WebRtcConfig {
        ConfigException.require(udpHost != null && !udpHost.isBlank(), "webrtc.udpHost", udpHost, "an IP address such as 0.0.0.0");
        ConfigException.require(udpPort >= 0 && udpPort <= 65535, "webrtc.udpPort", udpPort, "a UDP port 1-65535 (0 picks a free one)");
        ConfigException.require(addresses != null && addresses.matches("[0-9A-Fa-f.:, ]*"), "webrtc.addresses", addresses,
                "IP addresses separated by commas, e.g. 192.168.1.20,10.0.0.5 (empty: the address the page used)");
        ConfigException.require(maxSessionsPerCamera >= 1 && maxSessionsPerCamera <= 100, "webrtc.maxSessionsPerCamera",
                maxSessionsPerCamera, "a number from 1 to 100");
        ConfigException.require(consentTimeoutSeconds >= 5 && consentTimeoutSeconds <= 300, "webrtc.consentTimeoutSeconds",
                consentTimeoutSeconds, "seconds from 5 to 300 (RFC 7675 says 30)");
    }

    public static WebRtcConfig defaults() {
        return new WebRtcConfig(true, "0.0.0.0", 8189, "", 10, 30);
    }

    /** The extra announced addresses as a list. */
    public List<String> addressList() {
        return Arrays.stream(addresses.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}

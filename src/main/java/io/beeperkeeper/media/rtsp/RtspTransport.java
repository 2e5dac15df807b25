package io.beeperkeeper.media.rtsp;

import java.util.Locale;
import java.util.Optional;

/**
 * One transport a client asks for in SETUP (RFC 2326 §12.39): RTP over the RTSP connection
 * (interleaved channels) or unicast UDP to the client's ports. Multicast and {@code destination=}
 * are never honoured: media goes only to the address the request came from, so the hub cannot be
 * made to flood someone else.
 *
 * @param tcp      interleaved over the RTSP connection
 * @param first    the RTP channel (tcp) or the client's RTP port (udp)
 * @param second   the RTCP channel or port
 */
record RtspTransport(boolean tcp, int first, int second) {
    /** The first usable transport of a Transport header's comma-separated list. */
    static Optional<RtspTransport> choose(String header, int nextChannel) {
        if (header == null) {
            return Optional.empty();
        }
        for (String spec : header.split(",")) {
            Optional<RtspTransport> t = parse(spec.trim(), nextChannel);
            if (t.isPresent()) {
                return t;
            }
        }
        return Optional.empty();
    }

    private static Optional<RtspTransport> parse(String spec, int nextChannel) {
        String[] parts = spec.split(";");
        String protocol = parts[0].trim().toUpperCase(Locale.ROOT);
        boolean tcp = protocol.equals("RTP/AVP/TCP");
        if (!tcp && !protocol.equals("RTP/AVP") && !protocol.equals("RTP/AVP/UDP")) {
            return Optional.empty();
        }
        int[] range = null;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim().toLowerCase(Locale.ROOT);
            if (p.equals("multicast")) {
                return Optional.empty();
            }
            if (tcp && p.startsWith("interleaved=")) {
                range = range(p.substring(12));
            } else if (!tcp && p.startsWith("client_port=")) {
                range = range(p.substring(12));
            }
        }
        if (tcp) {
            if (range == null) {
                range = new int[]{nextChannel, nextChannel + 1};
            }
            return range[0] <= 255 && range[1] <= 255 ? Optional.of(new RtspTransport(true, range[0], range[1])) : Optional.empty();
        }
        if (range == null || range[0] < 1 || range[1] > 65535) {
            return Optional.empty();
        }
        return Optional.of(new RtspTransport(false, range[0], range[1]));
    }

    private static int[] range(String v) {
        try {
            String[] ab = v.split("-");
            int a = Integer.parseInt(ab[0].trim());
            int b = ab.length > 1 ? Integer.parseInt(ab[1].trim()) : a + 1;
            return a >= 0 && b >= 0 ? new int[]{a, b} : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The Transport header of the answer. */
    String answer(int serverRtpPort, int serverRtcpPort, long ssrc) {
        String ssrcHex = String.format("%08X", ssrc);
        return tcp ? "RTP/AVP/TCP;unicast;interleaved=" + first + "-" + second + ";ssrc=" + ssrcHex
                : "RTP/AVP;unicast;client_port=" + first + "-" + second + ";server_port=" + serverRtpPort + "-" + serverRtcpPort
                + ";ssrc=" + ssrcHex;
    }
}

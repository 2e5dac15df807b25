package io.beeperkeeper.media.webrtc;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * What the hub puts in an SDP answer about itself for one session: ICE-lite credentials, the DTLS
 * certificate fingerprint, the host candidates (the one UDP port on each announced address) and the
 * SSRCs and names of the streams it will send.
 *
 * @param fingerprint sha-256 fingerprint as in {@code a=fingerprint}: upper-case hex bytes joined by ':'
 */
record LocalEndpoint(String iceUfrag, String icePwd, String fingerprint, List<InetSocketAddress> candidates,
                            long videoSsrc, long audioSsrc, String cname, String streamId) {
    public LocalEndpoint {
        candidates = List.copyOf(candidates);
    }
}

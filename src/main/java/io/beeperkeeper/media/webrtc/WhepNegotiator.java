package io.beeperkeeper.media.webrtc;

import io.beeperkeeper.media.AudioTrack;
import io.beeperkeeper.media.Tracks;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Answers a WHEP SDP offer from a camera's real tracks. Video: the browser's H.264 payload type with
 * {@code packetization-mode=1} whose profile plays the camera's SPS (exact profile first). Audio: Opus
 * only if the camera sends Opus; otherwise the audio m-line is answered {@code inactive} (or rejected
 * with port 0 when it offers no Opus at all), never a failure. The hub is ICE-lite and the DTLS server
 * ({@code a=setup:passive}); everything is bundled on one transport with rtcp-mux.
 */
final class WhepNegotiator {
    /** Lets the receiver render at once instead of smoothing (min = max = 0); Chromium offers it. */
    static final String PLAYOUT_DELAY_URI = "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay";
    private static final Set<String> RTP_PROTOCOLS = Set.of("UDP/TLS/RTP/SAVPF", "UDP/TLS/RTP/SAVP");

    private WhepNegotiator() {
    }

    public static Negotiated negotiate(String offerText, Tracks tracks, LocalEndpoint local) throws NegotiationException {
        SessionDescription offer;
        try {
            offer = SessionDescription.parse(offerText);
        } catch (IllegalArgumentException e) {
            throw new NegotiationException(WebRtcServer.Reason.MALFORMED_OFFER, "malformed SDP offer: " + e.getMessage());
        }
        if (offer.media().isEmpty()) {
            throw new NegotiationException(WebRtcServer.Reason.MALFORMED_OFFER, "the SDP offer has no m= section: add a recvonly video transceiver");
        }
        H264Profile camera = H264Profile.fromSps(tracks.video().sps());
        Optional<AudioTrack> opus = tracks.audio().filter(a -> a.codec() == AudioTrack.Codec.OPUS);

        // Pick the first video and first audio section we can serve; all others are rejected.
        int videoIndex = -1;
        int videoPt = -1;
        int audioIndex = -1;
        int audioPt = -1;
        String audioNote = null;
        List<String> videoProblems = new ArrayList<>();
        for (int i = 0; i < offer.media().size(); i++) {
            SessionDescription.Media m = offer.media().get(i);
            if (m.port() == 0 || !RTP_PROTOCOLS.contains(m.protocol())) {
                continue;
            }
            if (m.kind().equals("video") && videoIndex < 0) {
                int pt = chooseH264(m, camera, videoProblems);
                if (pt >= 0) {
                    videoIndex = i;
                    videoPt = pt;
                }
            } else if (m.kind().equals("audio") && audioIndex < 0) {
                audioIndex = i;
                audioPt = rtpmap(m).entrySet().stream()
                        .filter(e -> e.getValue().toLowerCase(Locale.ROOT).startsWith("opus/48000"))
                        .map(Map.Entry::getKey).findFirst().orElse(-1);
            }
        }
        if (videoIndex < 0) {
            String why = videoProblems.isEmpty() ? "the offer has no video m-line with H.264" : String.join("; ", videoProblems);
            throw new NegotiationException(WebRtcServer.Reason.NO_COMMON_CODEC, why + ". This camera sends H.264 " + camera.profile().name().toLowerCase(Locale.ROOT)
                    + " (profile-level-id " + camera.hex() + ", packetization-mode=1): offer H.264 in a recvonly video transceiver");
        }
        boolean sendAudio = audioIndex >= 0 && opus.isPresent() && audioPt >= 0;
        if (audioIndex >= 0 && !sendAudio) {
            audioNote = tracks.audio().isEmpty() ? "camera has no audio"
                    : opus.isEmpty() ? "camera audio is " + tracks.audio().get().codec() + ", WebRTC needs Opus: video only"
                    : "offer has no opus/48000/2";
        }

        SessionDescription.Media video = offer.media().get(videoIndex);
        String remoteUfrag = offer.attribute(video, "ice-ufrag").orElse(null);
        String remotePwd = offer.attribute(video, "ice-pwd").orElse(null);
        String fingerprint = offer.attribute(video, "fingerprint").orElse(null);
        String setup = offer.attribute(video, "setup").orElse("actpass");
        if (remoteUfrag == null || remotePwd == null) {
            throw new NegotiationException(WebRtcServer.Reason.MALFORMED_OFFER, "the offer has no a=ice-ufrag/a=ice-pwd");
        }
        if (fingerprint == null) {
            throw new NegotiationException(WebRtcServer.Reason.MALFORMED_OFFER, "the offer has no a=fingerprint (DTLS-SRTP is required)");
        }
        if (setup.equals("passive")) {
            throw new NegotiationException(WebRtcServer.Reason.MALFORMED_OFFER, "the offer says a=setup:passive, but this hub is the DTLS server: offer actpass or active");
        }
        List<String> bundle = offer.attribute("group").filter(g -> g.startsWith("BUNDLE"))
                .map(g -> List.of(g.split(" +"))).map(l -> l.subList(1, l.size())).orElse(List.of());
        String videoMid = video.attribute("mid").orElse(null);
        if (sendAudio) {
            String audioMid = offer.media().get(audioIndex).attribute("mid").orElse(null);
            if (videoMid == null || audioMid == null || !bundle.contains(videoMid) || !bundle.contains(audioMid)) {
                // The hub has one transport per session: unbundled audio would need a second one.
                throw new NegotiationException(WebRtcServer.Reason.MALFORMED_OFFER, "audio and video must be bundled (a=group:BUNDLE with both mids)");
            }
        }

        StringBuilder a = new StringBuilder(2048);
        line(a, "v=0");
        line(a, "o=- " + (System.nanoTime() & 0x7FFFFFFFFFFFL) + " 2 IN IP4 127.0.0.1");
        line(a, "s=Beeper Keeper");
        line(a, "t=0 0");
        line(a, "a=ice-lite");
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < offer.media().size(); i++) {
            String mid = offer.media().get(i).attribute("mid").orElse(null);
            boolean acceptedHere = i == videoIndex || (i == audioIndex && audioPt >= 0);
            if (acceptedHere && mid != null && bundle.contains(mid)) {
                accepted.add(mid);
            }
        }
        if (!accepted.isEmpty()) {
            line(a, "a=group:BUNDLE " + String.join(" ", accepted));
        }
        line(a, "a=msid-semantic: WMS " + local.streamId());
        for (int i = 0; i < offer.media().size(); i++) {
            SessionDescription.Media m = offer.media().get(i);
            if (i == videoIndex) {
                mediaSection(a, m, videoPt, "H264/90000", fmtpOf(m, videoPt), direction(m), local, local.videoSsrc(), "video",
                        List.of("nack", "nack pli", "ccm fir"));
            } else if (i == audioIndex && audioPt >= 0) {
                AudioTrack opusTrack = opus.orElse(null);
                String fmtp = "minptime=10;useinbandfec=1" + (opusTrack != null && opusTrack.channels() == 2 ? ";stereo=1;sprop-stereo=1" : "");
                mediaSection(a, m, audioPt, "opus/48000/2", fmtp, sendAudio ? direction(m) : "inactive", local, local.audioSsrc(), "audio",
                        List.of());
            } else {
                rejected(a, m);
            }
        }
        return new Negotiated(a.toString(), videoPt, sendAudio ? audioPt : -1, remoteUfrag, remotePwd, fingerprint, audioNote,
                playoutDelayId(video));
    }

    /** The offered payload type that best plays the camera's profile, or -1 (reasons added to problems). */
    static int chooseH264(SessionDescription.Media m, H264Profile camera, List<String> problems) {
        Map<Integer, String> fmtp = fmtps(m);
        int best = -1;
        int bestScore = Integer.MAX_VALUE;
        boolean sawH264 = false;
        boolean sawMode1 = false;
        for (Map.Entry<Integer, String> e : rtpmap(m).entrySet()) {
            if (!e.getValue().toUpperCase(Locale.ROOT).startsWith("H264/90000")) {
                continue;
            }
            sawH264 = true;
            Map<String, String> params = params(fmtp.getOrDefault(e.getKey(), ""));
            if (!"1".equals(params.get("packetization-mode"))) {
                continue;
            }
            sawMode1 = true;
            H264Profile offered;
            try {
                // RFC 6184: without profile-level-id the default is 420010 (Baseline level 1).
                offered = H264Profile.parse(params.getOrDefault("profile-level-id", "420010"));
            } catch (IllegalArgumentException ex) {
                continue;
            }
            int score = camera.decodableBy(offered);
            if (score >= 0) {
                // Prefer the exact profile, then the closest superset; among equals, a level high enough.
                int levelPenalty = offered.levelIdc() >= camera.levelIdc() ? 0 : 1;
                int total = score * 2 + levelPenalty;
                if (total < bestScore) {
                    bestScore = total;
                    best = e.getKey();
                }
            }
        }
        if (best < 0) {
            problems.add(!sawH264 ? "the offer's video m-line has no H.264"
                    : !sawMode1 ? "the offer's H.264 payload types all lack packetization-mode=1"
                    : "no offered H.264 profile decodes this camera's");
        }
        return best;
    }

    private static void mediaSection(StringBuilder a, SessionDescription.Media m, int pt, String rtpmap, String fmtp, String dir,
                                     LocalEndpoint local, long ssrc, String trackId, List<String> feedback) {
        int port = local.candidates().isEmpty() ? 9 : local.candidates().get(0).getPort();
        line(a, "m=" + m.kind() + " " + port + " " + m.protocol() + " " + pt);
        line(a, "c=IN IP4 " + (local.candidates().isEmpty() ? "0.0.0.0" : hostOf(local.candidates().get(0))));
        m.attribute("mid").ifPresent(mid -> line(a, "a=mid:" + mid));
        line(a, "a=ice-ufrag:" + local.iceUfrag());
        line(a, "a=ice-pwd:" + local.icePwd());
        line(a, "a=fingerprint:sha-256 " + local.fingerprint());
        line(a, "a=setup:passive");
        line(a, "a=" + dir);
        line(a, "a=rtcp-mux");
        line(a, "a=rtpmap:" + pt + " " + rtpmap);
        for (String fb : feedback) {
            line(a, "a=rtcp-fb:" + pt + " " + fb);
        }
        if (!fmtp.isEmpty()) {
            line(a, "a=fmtp:" + pt + " " + fmtp);
        }
        if (trackId.equals("video") && playoutDelayId(m) > 0 && !dir.equals("inactive")) {
            line(a, "a=extmap:" + playoutDelayId(m) + " " + PLAYOUT_DELAY_URI);
        }
        if (!dir.equals("inactive")) {
            line(a, "a=msid:" + local.streamId() + " " + trackId);
            line(a, "a=ssrc:" + ssrc + " cname:" + local.cname());
            line(a, "a=ssrc:" + ssrc + " msid:" + local.streamId() + " " + trackId);
        }
        int foundation = 1;
        for (InetSocketAddress c : local.candidates()) {
            line(a, "a=candidate:" + foundation++ + " 1 udp " + (2130706431 - foundation) + " " + hostOf(c) + " " + c.getPort() + " typ host");
        }
        line(a, "a=end-of-candidates");
    }

    /** The one-byte-header id (1-14) the offer gave the playout-delay extension, or -1. */
    static int playoutDelayId(SessionDescription.Media m) {
        for (String v : m.attributes("extmap")) {
            String[] p = v.trim().split(" +");
            if (p.length >= 2 && p[1].equals(PLAYOUT_DELAY_URI)) {
                Integer id = payloadType(p[0].split("/")[0]);
                return id != null && id >= 1 && id <= 14 ? id : -1;
            }
        }
        return -1;
    }

    private static void rejected(StringBuilder a, SessionDescription.Media m) {
        line(a, "m=" + m.kind() + " 0 " + m.protocol() + " " + (m.formats().isEmpty() ? "0" : m.formats().get(0)));
        line(a, "c=IN IP4 0.0.0.0");
        m.attribute("mid").ifPresent(mid -> line(a, "a=mid:" + mid));
        line(a, "a=inactive");
    }

    private static String direction(SessionDescription.Media m) {
        return switch (m.direction()) {
            case "recvonly", "sendrecv" -> "sendonly";
            default -> "inactive";
        };
    }

    /** Mirrors the browser's fmtp for the chosen type, so its decoder setup is exactly what it offered. */
    private static String fmtpOf(SessionDescription.Media m, int pt) {
        return fmtps(m).getOrDefault(pt, "");
    }

    static Map<Integer, String> rtpmap(SessionDescription.Media m) {
        Map<Integer, String> out = new LinkedHashMap<>();
        for (String v : m.attributes("rtpmap")) {
            String[] p = v.split(" +", 2);
            Integer pt = payloadType(p[0]);
            if (pt != null && p.length == 2 && m.formats().contains(p[0])) {
                out.put(pt, p[1].strip());
            }
        }
        return out;
    }

    private static Map<Integer, String> fmtps(SessionDescription.Media m) {
        Map<Integer, String> out = new HashMap<>();
        for (String v : m.attributes("fmtp")) {
            String[] p = v.split(" +", 2);
            Integer pt = payloadType(p[0]);
            if (pt != null && p.length == 2) {
                out.put(pt, p[1].strip());
            }
        }
        return out;
    }

    private static Map<String, String> params(String fmtp) {
        Map<String, String> out = new HashMap<>();
        for (String kv : fmtp.split(";")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                out.put(kv.substring(0, eq).strip().toLowerCase(Locale.ROOT), kv.substring(eq + 1).strip());
            }
        }
        return out;
    }

    private static Integer payloadType(String s) {
        try {
            int pt = Integer.parseInt(s);
            return pt >= 0 && pt <= 127 ? pt : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String hostOf(InetSocketAddress c) {
        return c.getAddress() != null ? c.getAddress().getHostAddress() : c.getHostString();
    }

    private static void line(StringBuilder a, String s) {
        a.append(s).append("\r\n");
    }
}

package io.beeperkeeper.media.webrtc;

import io.beeperkeeper.config.WebRtcConfig;
import io.beeperkeeper.feature.Threads;
import io.beeperkeeper.media.Stream;
import io.beeperkeeper.media.Tracks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The hub's WebRTC endpoint: one UDP socket for every session, demultiplexed by the first byte of
 * each datagram (RFC 7983: 0-3 STUN, 20-63 DTLS, 128-191 RTP/RTCP). STUN Binding requests are
 * answered ICE-lite style and map the browser's address to its session (found by the ufrag in
 * USERNAME); DTLS and SRTCP go to the session that owns the sender's address. A timer sends RTCP
 * sender reports and closes sessions whose consent checks stopped.
 *
 * <p>Threads: one receiver, one timer, a small pool that packetizes and encrypts for all sessions,
 * and a DTLS thread per session (bounded by the per-camera limit).
 */
public final class WebRtcServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebRtcServer.class);
    /** A session that never completes ICE within this time is dropped (the page left or could not reach us). */
    private static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(20);

    private final WebRtcConfig config;
    private final CameraStreams cameras;
    private final DtlsIdentity identity = DtlsIdentity.generate();
    private final SecureRandom random = new SecureRandom();
    private final DatagramSocket socket;
    private final Map<String, WebRtcSession> byId = new ConcurrentHashMap<>();
    private final Map<String, WebRtcSession> byUfrag = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, WebRtcSession> byAddress = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final ExecutorService senders;
    private final Thread receiver;
    /** Held so the level sticks: jitsi-srtp logs through java.util.logging (its AES benchmark at INFO). */
    private final java.util.logging.Logger jitsiLog = java.util.logging.Logger.getLogger("org.jitsi");
    private volatile boolean running = true;
    private long badDatagrams;

    /** Binds the UDP port and starts serving. */
    WebRtcServer(WebRtcConfig config, CameraStreams cameras) {
        this.config = config;
        this.cameras = cameras;
        jitsiLog.setLevel(java.util.logging.Level.WARNING);
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(config.udpHost()), config.udpPort()));
            socket.setReceiveBufferSize(1 << 20);
            socket.setSendBufferSize(1 << 20);
        } catch (IOException e) {
            throw new IllegalStateException("WebRTC: cannot bind UDP " + config.udpHost() + ":" + config.udpPort() + " (" + e.getMessage()
                    + "): set webrtc.udpPort to a free port, or webrtc.enabled=false", e);
        }
        timer = Executors.newSingleThreadScheduledExecutor(Threads.daemon("webrtc-timer"));
        senders = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(),
                Threads.daemon("webrtc-send"));
        receiver = Threads.daemon("webrtc-udp").newThread(this::receiveLoop);
        receiver.start();
        timer.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
        log.info("WebRTC (WHEP) on UDP {}:{}, certificate sha-256 {}", config.udpHost(), port(), identity.fingerprint());
    }

    /** The bound UDP port (useful when configured as 0). */
    public int port() {
        return socket.getLocalPort();
    }

    /** What became of an offer: a session, or a refusal with its reason. */
    public sealed interface Answer permits Created, Refused {
    }

    /** A new session's answer and id. */
    public record Created(String sessionId, String answer, String audioNote) implements Answer {
    }

    /** Why an offer was not accepted, and a message naming what to change. */
    public record Refused(Reason reason, String message) implements Answer {
    }

    /** The kinds of refusal (the web adapter maps each to an HTTP status). */
    public enum Reason {
        /** No camera of that name. */
        NO_SUCH_CAMERA,
        /** The camera has sent no keyframe yet. */
        NOT_LIVE,
        /** The offer is not a usable SDP offer. */
        MALFORMED_OFFER,
        /** The browser offers no codec this camera sends. */
        NO_COMMON_CODEC,
        /** The camera has {@code webrtc.maxSessionsPerCamera} viewers already. */
        CAMERA_FULL
    }

    /**
     * Answers a WHEP offer for a camera.
     *
     * @param requestLocalAddress the address the browser reached the HTTP server at (announced as a
     *                            candidate when it is a concrete address), or null
     */
    public Answer createSession(String camera, String offer, InetAddress requestLocalAddress) {
        Optional<Stream> found = cameras.find(camera);
        if (found.isEmpty()) {
            return new Refused(Reason.NO_SUCH_CAMERA, "no camera named '" + camera + "'");
        }
        Stream stream = found.get();
        Optional<Tracks> live = stream.tracks();
        if (live.isEmpty()) {
            return new Refused(Reason.NOT_LIVE, "camera '" + camera + "' is not live yet (no keyframe received): retry in a few seconds");
        }
        Tracks tracks = live.get();
        String id = UUID.randomUUID().toString();
        String ufrag = randomToken(6);
        LocalEndpoint local = new LocalEndpoint(ufrag, randomToken(24), identity.fingerprint(), candidates(requestLocalAddress),
                random.nextInt() & 0xFFFFFFFFL, random.nextInt() & 0xFFFFFFFFL, "beeper-" + randomToken(6), "beeper-" + camera);
        log.debug("camera {}: WHEP offer\n{}", camera, offer);
        Negotiated n;
        try {
            n = WhepNegotiator.negotiate(offer, tracks, local);
        } catch (NegotiationException e) {
            return new Refused(e.reason(), e.getMessage());
        }
        WebRtcSession session = new WebRtcSession(id, camera, stream, n, local, identity, this::send, senders, random);
        synchronized (byId) { // count and add together, so concurrent offers cannot pass the limit
            long mine = byId.values().stream().filter(s -> s.camera().equals(camera)).count();
            if (mine >= config.maxSessionsPerCamera()) {
                return new Refused(Reason.CAMERA_FULL, "camera '" + camera + "' already has " + mine + " WebRTC viewers (webrtc.maxSessionsPerCamera="
                        + config.maxSessionsPerCamera() + "): close a viewer or use the MSE player");
            }
            byId.put(id, session);
            byUfrag.put(ufrag, session);
        }
        log.info("camera {}: WebRTC session {} created (video pt {}, audio {})", camera, id, n.videoPayloadType(),
                n.sendsAudio() ? "pt " + n.audioPayloadType() : n.audioNote());
        return new Created(id, n.answer(), n.audioNote());
    }

    /** Ends a session (WHEP DELETE); false if there is no such session. */
    public boolean deleteSession(String id) {
        WebRtcSession s = byId.get(id);
        if (s == null) {
            return false;
        }
        remove(s, "ended by the client");
        return true;
    }

    Optional<WebRtcSessionInfo> session(String id) {
        return Optional.ofNullable(byId.get(id)).map(WebRtcSession::info);
    }

    List<WebRtcSessionInfo> sessions() {
        return byId.values().stream().map(WebRtcSession::info).toList();
    }

    private void remove(WebRtcSession s, String why) {
        byId.remove(s.id());
        byUfrag.remove(s.ufrag());
        InetSocketAddress a = s.remote();
        if (a != null) {
            byAddress.remove(a, s);
        }
        byAddress.values().removeIf(x -> x == s);
        s.close();
        log.info("camera {}: WebRTC session {} closed: {}", s.camera(), s.id(), why);
    }

    private List<InetSocketAddress> candidates(InetAddress requestLocal) {
        Set<InetAddress> addrs = new LinkedHashSet<>();
        InetAddress bound = socket.getLocalAddress();
        if (requestLocal != null && !requestLocal.isAnyLocalAddress()) {
            addrs.add(requestLocal);
            if (requestLocal.isLoopbackAddress()) {
                // A browser on the hub itself (http://localhost): Chromium ignores loopback candidates
                // unless started with a flag, but reaches the machine's own LAN addresses.
                addrs.addAll(lanAddresses());
            }
        }
        for (String a : config.addressList()) {
            try {
                addrs.add(InetAddress.getByName(a));
            } catch (IOException e) {
                log.warn("webrtc.addresses: cannot use '{}': {}", a, e.getMessage());
            }
        }
        if (addrs.isEmpty() && bound != null && !bound.isAnyLocalAddress()) {
            addrs.add(bound);
        }
        List<InetSocketAddress> out = new ArrayList<>();
        for (InetAddress a : addrs) {
            if (bound == null || bound.isAnyLocalAddress() || bound.equals(a)) {
                out.add(new InetSocketAddress(a, port()));
            }
        }
        return out;
    }

    /** Up to four IPv4 addresses of this machine's interfaces that are up and not loopback. */
    private static List<InetAddress> lanAddresses() {
        List<InetAddress> out = new ArrayList<>();
        try {
            for (java.net.NetworkInterface ni : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp() || ni.isLoopback()) {
                    continue;
                }
                for (InetAddress a : java.util.Collections.list(ni.getInetAddresses())) {
                    if (a instanceof java.net.Inet4Address && !a.isLinkLocalAddress() && out.size() < 4) {
                        out.add(a);
                    }
                }
            }
        } catch (SocketException e) {
            log.debug("WebRTC: cannot list interfaces: {}", e.toString());
        }
        return out;
    }

    private String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private void send(byte[] packet, InetSocketAddress to) {
        try {
            socket.send(new DatagramPacket(packet, packet.length, to));
        } catch (IOException e) {
            if (running) {
                log.debug("WebRTC: send to {} failed: {}", to, e.toString());
            }
        }
    }

    private void receiveLoop() {
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (running) {
            try {
                p.setLength(buf.length);
                socket.receive(p);
                handle(buf, p.getLength(), (InetSocketAddress) p.getSocketAddress());
            } catch (SocketException e) {
                if (running) {
                    log.warn("WebRTC UDP socket error: {}", e.toString());
                }
            } catch (IOException | RuntimeException e) {
                badDatagrams++;
                log.debug("WebRTC: bad datagram: {}", e.toString());
            }
        }
    }

    private void handle(byte[] buf, int len, InetSocketAddress from) {
        if (len < 1) {
            return;
        }
        int first = buf[0] & 0xFF;
        if (first <= 3) {
            Stun.BindingRequest req = Stun.parseBindingRequest(buf, len);
            WebRtcSession s = req == null || req.localUfrag() == null ? null : byUfrag.get(req.localUfrag());
            if (s == null || !Stun.integrityOk(req, s.icePwd())) {
                badDatagrams++;
                return; // unknown or forged: no answer (RFC 8445 7.3: 401 is optional)
            }
            send(Stun.bindingSuccess(req.transactionId(), from, s.icePwd()), from);
            if (s.onConsent(from, req.useCandidate())) {
                byAddress.put(from, s);
            }
        } else if (first >= 20 && first <= 63) {
            WebRtcSession s = byAddress.get(from);
            if (s != null) {
                s.onDtls(java.util.Arrays.copyOf(buf, len));
            }
        } else if (first >= 128 && first <= 191) {
            WebRtcSession s = byAddress.get(from);
            int pt = len > 1 ? buf[1] & 0xFF : 0;
            if (s != null && pt >= 192 && pt <= 223) {
                s.onRtcp(buf, len);
            }
        } else {
            badDatagrams++;
        }
    }

    private void tick() {
        try {
            long now = System.nanoTime();
            long consent = TimeUnit.SECONDS.toNanos(config.consentTimeoutSeconds());
            for (WebRtcSession s : List.copyOf(byId.values())) {
                if (s.isClosed()) {
                    remove(s, "transport closed");
                } else if (s.nanosSinceConsent(now) > consent) {
                    remove(s, "no STUN consent check for " + config.consentTimeoutSeconds() + " s");
                } else if (!s.connected() && s.ageNanos(now) > CONNECT_TIMEOUT_NS) {
                    remove(s, "ICE/DTLS did not complete within " + TimeUnit.NANOSECONDS.toSeconds(CONNECT_TIMEOUT_NS) + " s");
                } else {
                    s.sendSenderReports();
                }
            }
        } catch (RuntimeException e) {
            log.warn("WebRTC timer: {}", e.toString());
        }
    }

    /** For {@code GET /api/health}: the port and how many viewers are connected. */
    public io.beeperkeeper.health.ComponentHealth health() {
        long connected = byId.values().stream().filter(WebRtcSession::connected).count();
        return io.beeperkeeper.health.ComponentHealth.up("UDP port " + port() + ", " + connected + " WebRTC viewer(s) connected, "
                + (byId.size() - connected) + " connecting");
    }

    public int sessionCount() {
        return byId.size();
    }

    /** WebRTC viewers of a camera whose connection is up (DTLS done), not the ones still connecting. */
    public int viewers(String camera) {
        return (int) byId.values().stream().filter(s -> s.camera().equals(camera) && s.connected()).count();
    }

    @Override
    public void close() {
        running = false;
        for (WebRtcSession s : List.copyOf(byId.values())) {
            remove(s, "hub stopping");
        }
        socket.close();
        timer.shutdownNow();
        senders.shutdownNow();
    }
}

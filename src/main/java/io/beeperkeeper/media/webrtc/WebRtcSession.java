package io.beeperkeeper.media.webrtc;

import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.FrameQueue;
import io.beeperkeeper.media.Stream;
import io.beeperkeeper.media.Tracks;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One WHEP viewer: ICE-lite consent, the DTLS handshake (on its own thread, fed from the shared UDP
 * port), then frames from the camera's {@link Stream} through a bounded {@link FrameQueue} (a slow
 * viewer skips to the next keyframe), packetized to RTP, protected with SRTP and sent on the shared
 * socket. A PLI/FIR re-subscribes, which restarts from the GOP cache's keyframe at once.
 *
 * <p>Timestamps: frames replayed from the GOP cache on (re)subscribe are older than the live edge;
 * their distance to it is shrunk a thousandfold, so the browser decodes them at once instead of
 * buffering a GOP's worth of delay, and an offset keeps RTP time moving forward across re-subscribes.
 */
final class WebRtcSession {
    private static final Logger log = LoggerFactory.getLogger(WebRtcSession.class);
    private static final int QUEUE_FRAMES = 120;
    private static final long QUEUE_BYTES = 4L * 1024 * 1024;
    /** Sent video packets kept for NACK retransmission: ~0.3 s at 5 Mbit/s, ~300 kB per viewer. */
    private static final int HISTORY = 256;
    private static final long KEYFRAME_REQUEST_MIN_GAP_NS = TimeUnit.MILLISECONDS.toNanos(500);

    interface Output {
        void send(byte[] packet, InetSocketAddress to);
    }

    private final String id;
    private final String camera;
    private final Stream stream;
    private final Negotiated negotiated;
    private final LocalEndpoint local;
    private final DtlsIdentity identity;
    private final Output output;
    private final Executor sendExecutor;
    private final DtlsInbox dtlsInbox = new DtlsInbox(64, this::isClosed, this::sendDtls);
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final long createdNanos = System.nanoTime();

    private volatile InetSocketAddress remote;
    private volatile long lastConsentNanos = System.nanoTime();
    private volatile boolean connected;
    private volatile Thread dtlsThread;
    private volatile DTLSTransport dtls;
    private volatile SrtpTransform srtp;
    private volatile long lastKeyframeRequestNanos;
    private final byte[][] history = new byte[HISTORY][];
    private long retransmissions;

    // Sending state: touched only by the (serialized) drain task and the SR timer under 'this'.
    private final RtpPacketizer video;
    private final RtpPacketizer audio;
    private final long videoBase;
    private final long audioBase;
    private Stream.Subscription subscription;
    private FrameQueue queue;
    private Tracks tracks;
    private long replayEdgeUs = Long.MIN_VALUE;
    private long offsetUs;
    private long lastVideoOutUs = Long.MIN_VALUE;
    private long lastVideoRtp = -1;
    private long lastVideoWallMs;
    private long lastAudioRtp = -1;
    private long lastAudioWallMs;
    private long framesSent;
    private long resubscribes;

    WebRtcSession(String id, String camera, Stream stream, Negotiated negotiated, LocalEndpoint local, DtlsIdentity identity,
                  Output output, Executor sendExecutor, java.util.Random random) {
        this.id = id;
        this.camera = camera;
        this.stream = stream;
        this.negotiated = negotiated;
        this.local = local;
        this.identity = identity;
        this.output = output;
        this.sendExecutor = sendExecutor;
        this.video = new RtpPacketizer(negotiated.videoPayloadType(), local.videoSsrc(), random.nextInt(), RtpPacketizer.DEFAULT_MAX_PAYLOAD,
                negotiated.playoutDelayExtId() > 0 ? RtpPacketizer.playoutDelayZero(negotiated.playoutDelayExtId()) : null);
        this.audio = new RtpPacketizer(Math.max(negotiated.audioPayloadType(), 0), local.audioSsrc(), random.nextInt(), RtpPacketizer.DEFAULT_MAX_PAYLOAD);
        this.videoBase = random.nextInt() & 0xFFFFFFFFL;
        this.audioBase = random.nextInt() & 0xFFFFFFFFL;
    }

    String id() {
        return id;
    }

    String camera() {
        return camera;
    }

    String ufrag() {
        return local.iceUfrag();
    }

    String icePwd() {
        return local.icePwd();
    }

    InetSocketAddress remote() {
        return remote;
    }

    boolean connected() {
        return connected;
    }

    boolean isClosed() {
        return closed.get();
    }

    long nanosSinceConsent(long now) {
        return now - lastConsentNanos;
    }

    long ageNanos(long now) {
        return now - createdNanos;
    }

    synchronized long framesSent() {
        return framesSent;
    }

    /**
     * A Binding request that passed the integrity check arrived from {@code from}. Returns true if the
     * remote address is new (the caller maps it to this session).
     */
    boolean onConsent(InetSocketAddress from, boolean useCandidate) {
        lastConsentNanos = System.nanoTime();
        InetSocketAddress current = remote;
        if (current == null || (useCandidate && !current.equals(from) && !connected)) {
            remote = from;
            startDtls();
            return true;
        }
        return false;
    }

    void onDtls(byte[] data) {
        if (!dtlsInbox.offer(data)) {
            log.debug("session {}: DTLS inbox full, dropping a datagram", id);
        }
    }

    void onRtcp(byte[] data, int len) {
        SrtpTransform s = srtp;
        if (s == null) {
            return;
        }
        try {
            byte[] plain = s.unprotectRtcp(data, len);
            if (plain != null) {
                retransmit(Rtcp.nackedSequences(plain));
            }
            if (plain != null && Rtcp.requestsKeyframe(plain)) {
                long now = System.nanoTime();
                if (now - lastKeyframeRequestNanos > KEYFRAME_REQUEST_MIN_GAP_NS) {
                    lastKeyframeRequestNanos = now;
                    sendExecutor.execute(this::resubscribe);
                }
            }
        } catch (Exception e) {
            log.debug("session {}: bad RTCP: {}", id, e.toString());
        }
    }

    /**
     * Resends lost video packets as they were first sent. Without RTX this is the same SRTP packet
     * again, which the receiver accepts because it never got that index.
     */
    private void retransmit(List<Integer> sequences) {
        InetSocketAddress to = remote;
        if (sequences.isEmpty() || to == null) {
            return;
        }
        synchronized (history) {
            for (int seq : sequences) {
                byte[] p = history[seq % HISTORY];
                if (p != null && (((p[2] & 0xFF) << 8) | (p[3] & 0xFF)) == seq) {
                    output.send(p, to);
                    retransmissions++;
                }
            }
        }
    }

    private synchronized void startDtls() {
        if (dtlsThread != null) {
            return;
        }
        Thread t = io.beeperkeeper.feature.Threads.daemon("webrtc-dtls-" + id.substring(0, 8)).newThread(this::runDtls);
        dtlsThread = t;
        t.start();
    }

    private void runDtls() {
        DtlsSrtpServer server = new DtlsSrtpServer(identity, negotiated.remoteFingerprint());
        try {
            DTLSTransport transport = new DTLSServerProtocol().accept(server, dtlsInbox);
            dtls = transport;
            srtp = new SrtpTransform(server.keys());
            connected = true;
            log.info("camera {}: WebRTC session {} connected from {}", camera, id, remote);
            synchronized (this) {
                if (!closed.get()) {
                    subscribeLocked();
                }
            }
            // Keep reading: the browser may retransmit its last flight if ours was lost, and sends
            // close_notify when it leaves. There is no application data (no data channels).
            byte[] buf = new byte[2048];
            while (!closed.get()) {
                long start = System.nanoTime();
                int n;
                try {
                    n = transport.receive(buf, 0, buf.length, 1000);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                if (n < 0 && System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(500)) {
                    // Not a timeout: the record layer is closed (close_notify from the browser).
                    log.info("camera {}: WebRTC session {} closed by the browser", camera, id);
                    close();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!closed.get()) {
                log.info("camera {}: WebRTC session {} DTLS ended: {}", camera, id, e.getMessage());
                close();
            }
        }
    }

    private void sendDtls(byte[] datagram) {
        InetSocketAddress to = remote;
        if (to != null) {
            output.send(datagram, to);
        }
    }

    private void resubscribe() {
        synchronized (this) {
            if (closed.get() || !connected) {
                return;
            }
            resubscribes++;
            subscribeLocked();
        }
    }

    /** (Re)subscribes to the stream: tracks, the cached GOP from its keyframe, then live frames. */
    private void subscribeLocked() {
        if (subscription != null) {
            subscription.close();
        }
        Frame edge = stream.lastVideoFrame();
        replayEdgeUs = edge == null ? Long.MIN_VALUE : edge.timeUs();
        FrameQueue q = new FrameQueue(QUEUE_FRAMES, QUEUE_BYTES, stream::countDropped);
        q.onAvailable(this::scheduleDrain);
        queue = q;
        subscription = stream.subscribe(q);
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            sendExecutor.execute(this::drain);
        }
    }

    private void drain() {
        drainScheduled.set(false);
        synchronized (this) {
            FrameQueue q = queue;
            if (q == null || closed.get()) {
                return;
            }
            FrameQueue.Item item;
            while ((item = q.poll()) != null) {
                if (item.tracks() != null) {
                    tracks = item.tracks();
                } else if (tracks != null) {
                    sendFrame(item.frame());
                }
            }
        }
    }

    private void sendFrame(Frame f) {
        InetSocketAddress to = remote;
        SrtpTransform s = srtp;
        if (to == null || s == null) {
            return;
        }
        List<byte[]> packets;
        long nowMs = System.currentTimeMillis();
        if (f.isVideo()) {
            long t = f.timeUs() < replayEdgeUs ? replayEdgeUs - (replayEdgeUs - f.timeUs()) / 1000 : f.timeUs();
            if (t + offsetUs <= lastVideoOutUs) {
                offsetUs = lastVideoOutUs - t + 1000;
            }
            t += offsetUs;
            lastVideoOutUs = t;
            long rtp = (videoBase + t * 9 / 100) & 0xFFFFFFFFL;
            lastVideoRtp = rtp;
            lastVideoWallMs = nowMs;
            packets = video.packetizeH264(f.units(), f.keyframe(), tracks.video().sps(), tracks.video().pps(), rtp);
        } else {
            if (!negotiated.sendsAudio() || f.timeUs() < replayEdgeUs) {
                return; // audio older than the live edge is of no use to a live viewer
            }
            long rtp = (audioBase + (f.timeUs() + offsetUs) * 48 / 1000) & 0xFFFFFFFFL;
            lastAudioRtp = rtp;
            lastAudioWallMs = nowMs;
            packets = List.of(audio.packetizeOpus(f.packet(), rtp));
        }
        try {
            for (byte[] p : packets) {
                byte[] srtpPacket = s.protectRtp(p);
                if (f.isVideo()) {
                    synchronized (history) {
                        history[((((p[2] & 0xFF) << 8) | (p[3] & 0xFF))) % HISTORY] = srtpPacket;
                    }
                }
                output.send(srtpPacket, to);
            }
            framesSent++;
        } catch (Exception e) {
            log.warn("session {}: cannot send: {}", id, e.toString());
        }
    }

    /** RTCP sender reports (lip sync and round-trip estimates in the browser); called about once a second. */
    synchronized void sendSenderReports() {
        InetSocketAddress to = remote;
        SrtpTransform s = srtp;
        if (to == null || s == null || closed.get()) {
            return;
        }
        long now = System.currentTimeMillis();
        try {
            if (lastVideoRtp >= 0) {
                long rtp = (lastVideoRtp + (now - lastVideoWallMs) * 90) & 0xFFFFFFFFL;
                output.send(s.protectRtcp(Rtcp.senderReport(video.ssrc(), now, rtp, video.packetsSent(), video.octetsSent(), local.cname())), to);
            }
            if (lastAudioRtp >= 0) {
                long rtp = (lastAudioRtp + (now - lastAudioWallMs) * 48) & 0xFFFFFFFFL;
                output.send(s.protectRtcp(Rtcp.senderReport(audio.ssrc(), now, rtp, audio.packetsSent(), audio.octetsSent(), local.cname())), to);
            }
        } catch (Exception e) {
            log.debug("session {}: cannot send SR: {}", id, e.toString());
        }
    }

    /** Ends the session: stops sending, closes DTLS (close_notify) and the SRTP contexts. Idempotent. */
    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (this) {
            if (subscription != null) {
                subscription.close();
                subscription = null;
            }
            queue = null;
        }
        DTLSTransport d = dtls;
        if (d != null) {
            try {
                d.close();
            } catch (IOException | RuntimeException e) {
                // the peer may be gone already
            }
        }
        Thread t = dtlsThread;
        if (t != null) {
            t.interrupt();
        }
        SrtpTransform s = srtp;
        if (s != null) {
            s.close();
        }
    }

    synchronized WebRtcSessionInfo info() {
        FrameQueue q = queue;
        long resent;
        synchronized (history) {
            resent = retransmissions;
        }
        return new WebRtcSessionInfo(id, camera, remote == null ? null : remote.toString(), connected, framesSent,
                q == null ? 0 : q.skips(), resubscribes, resent, negotiated.sendsAudio());
    }
}

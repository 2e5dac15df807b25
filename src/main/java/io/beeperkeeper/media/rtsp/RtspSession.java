package io.beeperkeeper.media.rtsp;

import io.beeperkeeper.media.AudioTrack;
import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.FrameQueue;
import io.beeperkeeper.media.Stream;
import io.beeperkeeper.media.Tracks;
import io.beeperkeeper.media.webrtc.Rtcp;
import io.beeperkeeper.media.webrtc.RtpPacketizer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One RTSP client's media: the tracks it set up (each over its interleaved channels or its UDP
 * ports), and once it plays, the camera's frames through a bounded {@link FrameQueue} (a client that
 * falls behind skips to the next keyframe), packetized with the WebRTC {@link RtpPacketizer}s and
 * written on the connection's event loop. Over TCP nothing is written while Netty's outbound buffer
 * is above its high-water mark, so a slow reader costs at most that buffer plus the queue; the
 * connection drops it when it stays stuck. Every method runs on the connection's event loop.
 */
final class RtspSession {
    private static final int QUEUE_FRAMES = 120;
    private static final long QUEUE_BYTES = 4L * 1024 * 1024;

    /** Where the UDP packets leave from (the server's RTP and RTCP sockets). */
    interface Udp {
        Channel rtp();

        Channel rtcp();
    }

    final String id;
    final String camera;
    private final Stream stream;
    private final Tracks described;
    private final ChannelHandlerContext raw;
    private final Udp udp;
    private final InetSocketAddress client;
    private final String cname;
    private final RtspTransport[] transports = new RtspTransport[2];
    private final RtpPacketizer video;
    private final RtpPacketizer audio;
    private final long videoBase;
    private final long audioBase;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private Tracks tracks;
    private Stream.Subscription subscription;
    private FrameQueue queue;
    private long lastVideoRtp = -1;
    private long lastVideoWallMs;
    private long lastAudioRtp = -1;
    private long lastAudioWallMs;
    private long framesSent;
    private long udpDropped;

    RtspSession(String id, String camera, Stream stream, Tracks described, ChannelHandlerContext raw, Udp udp,
                InetSocketAddress client, Random random) {
        this.id = id;
        this.camera = camera;
        this.stream = stream;
        this.described = described;
        this.tracks = described;
        this.raw = raw;
        this.udp = udp;
        this.client = client;
        this.cname = "beeper-" + camera;
        this.video = new RtpPacketizer(Sdp.VIDEO_PT, random.nextInt(), random.nextInt(), RtpPacketizer.DEFAULT_MAX_PAYLOAD);
        this.audio = new RtpPacketizer(Sdp.AUDIO_PT, random.nextInt(), random.nextInt(), RtpPacketizer.DEFAULT_MAX_PAYLOAD);
        this.videoBase = random.nextInt() & 0xFFFFFFFFL;
        this.audioBase = random.nextInt() & 0xFFFFFFFFL;
    }

    Tracks described() {
        return described;
    }

    boolean hasTrack(int track) {
        return track == 0 || (track == 1 && described.audio().isPresent());
    }

    long ssrc(int track) {
        return (track == 0 ? video : audio).ssrc();
    }

    void setUp(int track, RtspTransport transport) {
        transports[track] = transport;
    }

    boolean anySetUp() {
        return transports[0] != null || transports[1] != null;
    }

    boolean usesUdp() {
        return (transports[0] != null && !transports[0].tcp()) || (transports[1] != null && !transports[1].tcp());
    }

    /** The client's RTCP addresses, to recognise its receiver reports on the server's RTCP socket. */
    List<InetSocketAddress> udpPeers() {
        return java.util.Arrays.stream(transports).filter(t -> t != null && !t.tcp())
                .map(t -> new InetSocketAddress(client.getAddress(), t.second())).toList();
    }

    boolean playing() {
        return subscription != null;
    }

    /** The first sequence number the client will see on a track (for RTP-Info). */
    int nextSequence(int track) {
        return (track == 0 ? video : audio).nextSequence();
    }

    void play() {
        if (subscription != null) {
            return;
        }
        FrameQueue q = new FrameQueue(QUEUE_FRAMES, QUEUE_BYTES, stream::countDropped);
        q.onAvailable(this::scheduleDrain);
        queue = q;
        subscription = stream.subscribe(q);
    }

    /** Stops the media (TEARDOWN, or the connection closed). */
    void stop() {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
        queue = null;
    }

    long framesSent() {
        return framesSent;
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            raw.executor().execute(this::drain);
        }
    }

    /** Sends what is queued while the connection takes it; called again when it becomes writable. */
    void drain() {
        drainScheduled.set(false);
        FrameQueue q = queue;
        if (q == null) {
            return;
        }
        boolean wrote = false;
        try {
            while (raw.channel().isWritable()) {
                FrameQueue.Item item = q.poll();
                if (item == null) {
                    break;
                }
                if (item.tracks() != null) {
                    if (item.tracks().audio().map(AudioTrack::codec).equals(described.audio().map(AudioTrack::codec))) {
                        tracks = item.tracks(); // a new SPS/PPS goes in-band before each keyframe
                        continue;
                    }
                    // the camera came back with other tracks than the client set up: it must describe again
                    raw.channel().close();
                    return;
                }
                wrote |= send(item.frame());
            }
        } finally {
            if (wrote) {
                raw.flush();
                udp.rtp().flush();
            }
        }
    }

    private boolean send(Frame f) {
        // Sender reports map RTP time to the wall clock at which the hub received the frame, not when it
        // was sent: frames replayed from the GOP cache or queued behind a slow link go out late, and
        // the mapping must not jump when they do.
        if (f.isVideo()) {
            RtspTransport t = transports[0];
            if (t == null) {
                return false;
            }
            long rtp = (videoBase + f.timeUs() * 9 / 100) & 0xFFFFFFFFL;
            lastVideoRtp = rtp;
            lastVideoWallMs = f.receivedAtMs();
            for (byte[] p : video.packetizeH264(f.units(), f.keyframe(), tracks.video().sps(), tracks.video().pps(), rtp)) {
                write(t, false, p);
            }
        } else {
            RtspTransport t = transports[1];
            AudioTrack a = tracks.audio().orElse(null);
            if (t == null || a == null) {
                return false;
            }
            long rtp = (audioBase + f.timeUs() * a.timescale() / 1_000_000) & 0xFFFFFFFFL;
            lastAudioRtp = rtp;
            lastAudioWallMs = f.receivedAtMs();
            write(t, false, a.codec() == AudioTrack.Codec.OPUS ? audio.packetizeOpus(f.packet(), rtp) : audio.packetizeAac(f.packet(), rtp));
        }
        framesSent++;
        return true;
    }

    private void write(RtspTransport t, boolean rtcp, byte[] packet) {
        if (t.tcp()) {
            ByteBuf b = raw.alloc().buffer(4 + packet.length);
            b.writeByte('$').writeByte(rtcp ? t.second() : t.first()).writeShort(packet.length).writeBytes(packet);
            raw.write(b, raw.voidPromise());
            return;
        }
        Channel c = rtcp ? udp.rtcp() : udp.rtp();
        if (!c.isWritable()) {
            udpDropped++;
            return;
        }
        c.write(new DatagramPacket(Unpooled.wrappedBuffer(packet),
                new InetSocketAddress(client.getAddress(), rtcp ? t.second() : t.first())), c.voidPromise());
    }

    /** RTCP sender reports (A/V sync in the client); called every few seconds while playing. */
    void sendSenderReports() {
        if (subscription == null) {
            return;
        }
        long now = System.currentTimeMillis();
        if (transports[0] != null && lastVideoRtp >= 0) {
            long rtp = (lastVideoRtp + (now - lastVideoWallMs) * 90) & 0xFFFFFFFFL;
            write(transports[0], true, Rtcp.senderReport(video.ssrc(), now, rtp, video.packetsSent(), video.octetsSent(), cname));
        }
        AudioTrack a = tracks.audio().orElse(null);
        if (transports[1] != null && lastAudioRtp >= 0 && a != null) {
            long rtp = (lastAudioRtp + (now - lastAudioWallMs) * a.timescale() / 1000) & 0xFFFFFFFFL;
            write(transports[1], true, Rtcp.senderReport(audio.ssrc(), now, rtp, audio.packetsSent(), audio.octetsSent(), cname));
        }
        raw.flush();
        udp.rtcp().flush();
    }
}

package io.beeperkeeper.media.rtsp;

import io.beeperkeeper.media.Stream;
import io.beeperkeeper.media.Tracks;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.rtsp.RtspHeaderNames;
import io.netty.handler.codec.rtsp.RtspMethods;
import io.netty.handler.codec.rtsp.RtspResponseStatuses;
import io.netty.handler.codec.rtsp.RtspVersions;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One client connection: answers its RTSP 1.0 requests (OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN,
 * GET_PARAMETER as keep-alive) as Netty decodes them, holds its one {@link RtspSession}, and drops the
 * client when it goes quiet (no request, no RTCP for {@code rtsp.sessionTimeoutSeconds}; 10 s before
 * its first request) or stops reading what it is sent.
 */
final class RtspConnection extends SimpleChannelInboundHandler<Object> {
    private static final Logger log = LoggerFactory.getLogger(RtspConnection.class);
    static final String PUBLIC = "OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER";
    private static final long FIRST_REQUEST_MS = 10_000;
    private static final long SENDER_REPORT_MS = 2_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What the server shares with its connections. */
    interface Server {
        Optional<Stream> stream(String camera);

        RtspAuth auth(); // null: no login

        int timeoutSeconds();

        /** A client that has taken nothing this long while data waits for it is dropped. */
        long stuckWriterMs();

        void droppedSlowClient();

        RtspSession.Udp udp();

        int udpRtpPort();

        int udpRtcpPort();

        void udpSessionStarted(RtspSession s, RtspConnection c);

        void udpSessionEnded(RtspSession s);
    }

    private final Server server;
    private ChannelHandlerContext raw;
    private ChannelHandlerContext ctx;
    private RtspSession session;
    private volatile long lastHeardNanos = System.nanoTime();
    private boolean heardRequest;
    private long unwritableSinceNanos = -1;
    private ScheduledFuture<?> timer;
    private long lastReportNanos;

    RtspConnection(Server server) {
        this.server = server;
    }

    /** Told by the server's RTCP socket that this client's receiver report came in. */
    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.raw = ctx.pipeline().context("raw");
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        timer = ctx.executor().scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (timer != null) {
            timer.cancel(false);
        }
        endSession();
        super.channelInactive(ctx);
    }

    private void tick() {
        long now = System.nanoTime();
        long quietMs = TimeUnit.NANOSECONDS.toMillis(now - lastHeardNanos);
        if (!heardRequest && quietMs > FIRST_REQUEST_MS || quietMs > server.timeoutSeconds() * 1000L) {
            log.debug("rtsp {}: quiet for {} ms, closing", ctx.channel().remoteAddress(), quietMs);
            ctx.close();
            return;
        }
        if (unwritableSinceNanos >= 0 && TimeUnit.NANOSECONDS.toMillis(now - unwritableSinceNanos) > server.stuckWriterMs()) {
            log.info("rtsp {}: camera {}: the client has taken nothing for {} s, dropping it", ctx.channel().remoteAddress(),
                    session == null ? "-" : session.camera, server.stuckWriterMs() / 1000.0);
            server.droppedSlowClient();
            ctx.close();
            return;
        }
        if (session != null && session.playing() && now - lastReportNanos > TimeUnit.MILLISECONDS.toNanos(SENDER_REPORT_MS)) {
            lastReportNanos = now;
            session.sendSenderReports();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable()) {
            unwritableSinceNanos = -1;
            if (session != null) {
                session.drain();
            }
        } else if (unwritableSinceNanos < 0) {
            unwritableSinceNanos = System.nanoTime();
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("rtsp {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof RtspFraming.Interleaved) {
            heard(); // the client's RTCP over TCP: it is still there
            return;
        }
        if (!(msg instanceof FullHttpRequest req)) {
            return;
        }
        if (!req.decoderResult().isSuccess()) {
            FullHttpResponse r = response(RtspResponseStatuses.BAD_REQUEST, null);
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        heard();
        heardRequest = true;
        String cseq = req.headers().get(RtspHeaderNames.CSEQ);
        if (cseq == null) {
            ctx.writeAndFlush(response(RtspResponseStatuses.BAD_REQUEST, null)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        HttpMethod method = req.method();
        RtspAuth auth = server.auth();
        if (auth != null && !method.equals(RtspMethods.OPTIONS)
                && !auth.accepts(method.name(), req.headers().get(RtspHeaderNames.AUTHORIZATION), System.currentTimeMillis())) {
            FullHttpResponse r = response(RtspResponseStatuses.UNAUTHORIZED, cseq);
            auth.challenges(System.currentTimeMillis()).forEach(c -> r.headers().add("WWW-Authenticate", c));
            ctx.writeAndFlush(r);
            return;
        }
        FullHttpResponse r;
        if (method.equals(RtspMethods.OPTIONS)) {
            r = response(RtspResponseStatuses.OK, cseq);
            r.headers().set("Public", PUBLIC);
        } else if (method.equals(RtspMethods.DESCRIBE)) {
            r = describe(req, cseq);
        } else if (method.equals(RtspMethods.SETUP)) {
            r = setup(req, cseq);
        } else if (method.equals(RtspMethods.PLAY)) {
            r = play(req, cseq);
        } else if (method.equals(RtspMethods.TEARDOWN)) {
            endSession();
            r = response(RtspResponseStatuses.OK, cseq);
        } else if (method.equals(RtspMethods.GET_PARAMETER)) {
            r = sessionMatches(req) ? response(RtspResponseStatuses.OK, cseq) : response(RtspResponseStatuses.SESSION_NOT_FOUND, cseq);
        } else {
            r = response(RtspResponseStatuses.METHOD_NOT_ALLOWED, cseq);
            r.headers().set("Allow", PUBLIC);
        }
        if (session != null && !r.headers().contains(RtspHeaderNames.SESSION) && r.status().code() < 300
                && !method.equals(RtspMethods.OPTIONS) && !method.equals(RtspMethods.DESCRIBE) && !method.equals(RtspMethods.TEARDOWN)) {
            r.headers().set("Session", sessionHeader());
        }
        ctx.writeAndFlush(r);
        if (session != null && session.playing()) {
            session.drain();
        }
    }

    private FullHttpResponse describe(FullHttpRequest req, String cseq) {
        Target t = target(req.uri());
        if (t == null) {
            return response(RtspResponseStatuses.NOT_FOUND, cseq);
        }
        Optional<Stream> stream = server.stream(t.camera);
        if (stream.isEmpty()) {
            return response(RtspResponseStatuses.NOT_FOUND, cseq);
        }
        Optional<Tracks> tracks = stream.get().tracks();
        if (tracks.isEmpty()) {
            FullHttpResponse r = response(RtspResponseStatuses.SERVICE_UNAVAILABLE, cseq);
            r.headers().set("Retry-After", "2");
            return r;
        }
        InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
        String sdp = Sdp.describe(t.camera, tracks.get(), local.getAddress().getHostAddress(), System.currentTimeMillis());
        FullHttpResponse r = response(RtspResponseStatuses.OK, cseq, sdp);
        r.headers().set("Content-Type", "application/sdp");
        r.headers().set("Content-Base", t.base);
        return r;
    }

    private FullHttpResponse setup(FullHttpRequest req, String cseq) {
        Target t = target(req.uri());
        if (t == null || t.track < 0) {
            return response(RtspResponseStatuses.NOT_FOUND, cseq);
        }
        if (session != null && (!sessionMatches(req) || !session.camera.equals(t.camera))) {
            return response(RtspResponseStatuses.SESSION_NOT_FOUND, cseq);
        }
        if (session == null) {
            if (req.headers().contains(RtspHeaderNames.SESSION)) {
                return response(RtspResponseStatuses.SESSION_NOT_FOUND, cseq);
            }
            Optional<Stream> stream = server.stream(t.camera);
            if (stream.isEmpty()) {
                return response(RtspResponseStatuses.NOT_FOUND, cseq);
            }
            Optional<Tracks> tracks = stream.get().tracks();
            if (tracks.isEmpty()) {
                return response(RtspResponseStatuses.SERVICE_UNAVAILABLE, cseq);
            }
            session = new RtspSession(HexFormat.of().formatHex(randomId()),
                    t.camera, stream.get(), tracks.get(), raw, server.udp(), (InetSocketAddress) ctx.channel().remoteAddress(), RANDOM);
        }
        if (!session.hasTrack(t.track)) {
            return response(RtspResponseStatuses.NOT_FOUND, cseq);
        }
        if (session.playing()) {
            return response(RtspResponseStatuses.METHOD_NOT_VALID, cseq);
        }
        Optional<RtspTransport> transport = RtspTransport.choose(req.headers().get(RtspHeaderNames.TRANSPORT), t.track * 2);
        if (transport.isEmpty()) {
            return response(RtspResponseStatuses.UNSUPPORTED_TRANSPORT, cseq);
        }
        session.setUp(t.track, transport.get());
        FullHttpResponse r = response(RtspResponseStatuses.OK, cseq);
        r.headers().set("Transport", transport.get().answer(server.udpRtpPort(), server.udpRtcpPort(), session.ssrc(t.track)));
        r.headers().set("Session", sessionHeader());
        return r;
    }

    private FullHttpResponse play(FullHttpRequest req, String cseq) {
        if (session == null || !sessionMatches(req)) {
            return response(RtspResponseStatuses.SESSION_NOT_FOUND, cseq);
        }
        if (!session.anySetUp()) {
            return response(RtspResponseStatuses.METHOD_NOT_VALID, cseq);
        }
        FullHttpResponse r = response(RtspResponseStatuses.OK, cseq);
        r.headers().set("Range", "npt=0.000-");
        Target t = target(req.uri());
        String base = t == null ? req.uri() : t.base;
        StringBuilder info = new StringBuilder("url=" + base + "trackID=0;seq=" + session.nextSequence(0));
        if (session.described().audio().isPresent()) {
            info.append(",url=").append(base).append("trackID=1;seq=").append(session.nextSequence(1));
        }
        r.headers().set("RTP-Info", info.toString());
        r.headers().set("Session", sessionHeader());
        if (!session.playing()) {
            log.info("rtsp {}: camera {} playing over {}", ctx.channel().remoteAddress(), session.camera, session.usesUdp() ? "UDP" : "TCP");
            if (session.usesUdp()) {
                server.udpSessionStarted(session, this);
            }
            session.play();
        }
        return r;
    }

    private void endSession() {
        RtspSession s = session;
        session = null;
        if (s != null) {
            s.stop();
            if (s.usesUdp()) {
                server.udpSessionEnded(s);
            }
        }
    }

    private boolean sessionMatches(FullHttpRequest req) {
        String h = req.headers().get(RtspHeaderNames.SESSION);
        if (session == null) {
            return h == null;
        }
        return h != null && h.split(";")[0].trim().equals(session.id);
    }

    private String sessionHeader() {
        return session.id + ";timeout=" + server.timeoutSeconds();
    }

    private static byte[] randomId() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return b;
    }

    /** The camera (first path segment), the track ({@code trackID=N}, -1 for none) and the Content-Base of a request URI. */
    private record Target(String camera, int track, String base) {
    }

    private static Target target(String uri) {
        String path;
        try {
            URI u = new URI(uri);
            path = u.getRawPath();
            if (path == null) {
                return null;
            }
            String[] parts = path.replaceAll("^/+", "").split("/");
            if (parts.length == 0 || parts[0].isEmpty()) {
                return null;
            }
            String camera = java.net.URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            int track = -1;
            if (parts.length > 1 && parts[parts.length - 1].startsWith("trackID=")) {
                try {
                    track = Integer.parseInt(parts[parts.length - 1].substring(8));
                } catch (NumberFormatException e) {
                    return null;
                }
            } else if (parts.length > 1) {
                return null;
            }
            String prefix = uri.substring(0, uri.indexOf(path));
            return new Target(camera, track, prefix + "/" + parts[0] + "/");
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    private static FullHttpResponse response(HttpResponseStatus status, String cseq) {
        return response(status, cseq, null);
    }

    /** Header names go out in their usual case ({@code CSeq}): some camera and NVR clients compare them case-sensitively. */
    private static FullHttpResponse response(HttpResponseStatus status, String cseq, String body) {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(RtspVersions.RTSP_1_0, status, Unpooled.wrappedBuffer(content));
        if (cseq != null) {
            r.headers().set("CSeq", cseq);
        }
        r.headers().set("Server", "Beeper Keeper");
        r.headers().setInt("Content-Length", content.length);
        return r;
    }
}

package io.beeperkeeper.media.rtsp;

import io.beeperkeeper.StartupException;
import io.beeperkeeper.config.RtspConfig;
import io.beeperkeeper.feature.Threads;
import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.media.Stream;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.rtsp.RtspDecoder;
import io.netty.handler.codec.rtsp.RtspEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The RTSP server: a Netty TCP listener on {@code rtsp.port} (Netty's RTSP codec behind
 * {@link RtspFraming}, one {@link RtspConnection} per client) and the two UDP sockets RTP and RTCP
 * leave from for clients that ask for UDP. Two event-loop threads serve every client. At most
 * {@code rtsp.maxClients} connections at once: one more is closed as soon as it arrives. Each
 * connection's outbound buffer is capped by Netty's write-buffer water marks, so a slow reader is
 * skipped to the next keyframe and then dropped, never buffered without bound.
 */
public final class RtspServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RtspServer.class);
    /**
     * How much a slow client may cost: over {@code unsentBytes} waiting for it, it gets no more frames
     * (and skips to the next keyframe); after {@code stuckMs} of that it is dropped.
     * {@code socketSendBuffer} fixes the kernel's send buffer (0: the kernel sizes it, as it should on
     * real links; tests make it small so a stalled client fills up in seconds).
     */
    record SlowClient(int unsentBytes, long stuckMs, int socketSendBuffer) {
        static final SlowClient DEFAULT = new SlowClient(1024 * 1024, 10_000, 0);
    }

    private final RtspConfig config;
    private final SlowClient slow;
    private final Function<String, Optional<Stream>> streams;
    private final RtspAuth auth;
    private final AtomicInteger clients = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong slowDropped = new java.util.concurrent.atomic.AtomicLong();
    private final Map<InetSocketAddress, RtspConnection> udpPeers = new ConcurrentHashMap<>();
    private EventLoopGroup group;
    private Channel tcp;
    private Channel rtp;
    private Channel rtcp;

    public RtspServer(RtspConfig config, Function<String, Optional<Stream>> streams) {
        this(config, streams, SlowClient.DEFAULT);
    }

    RtspServer(RtspConfig config, Function<String, Optional<Stream>> streams, SlowClient slow) {
        this.slow = slow;
        this.config = config;
        this.streams = streams;
        this.auth = config.requiresLogin() ? new RtspAuth(config.username(), config.password()) : null;
    }

    /** Binds the TCP port and the UDP pair; a port in use is a {@link StartupException} naming the key. */
    public void start() {
        group = new NioEventLoopGroup(2, Threads.daemon("rtsp"));
        try {
            bindUdp();
            tcp = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 64)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(slow.unsentBytes() / 4, slow.unsentBytes()))
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (slow.socketSendBuffer() > 0) {
                                ch.config().setSendBufferSize(slow.socketSendBuffer());
                            }
                            if (clients.incrementAndGet() > config.maxClients()) {
                                clients.decrementAndGet();
                                if (refused.getAndIncrement() % 100 == 0) {
                                    log.warn("rtsp: refusing {}: {} clients already (rtsp.maxClients)", ch.remoteAddress(), config.maxClients());
                                }
                                ch.close();
                                return;
                            }
                            ch.closeFuture().addListener(f -> clients.decrementAndGet());
                            ch.pipeline()
                                    .addLast("raw", new ChannelOutboundHandlerAdapter())
                                    .addLast("framing", new RtspFraming())
                                    .addLast("decoder", new RtspDecoder(4096, RtspFraming.MAX_HEAD, RtspFraming.MAX_BODY))
                                    .addLast("encoder", new RtspEncoder())
                                    .addLast("aggregator", new HttpObjectAggregator(RtspFraming.MAX_BODY))
                                    .addLast("rtsp", new RtspConnection(shared));
                        }
                    })
                    .bind(config.host(), config.port()).syncUninterruptibly().channel();
        } catch (Exception e) { // Netty rethrows the bind's checked BindException as it is
            close();
            if (e instanceof StartupException s) {
                throw s;
            }
            throw new StartupException("RTSP cannot listen on " + config.host() + ":" + config.port() + ": " + reason(e)
                    + ". Stop the program using it or choose another port with rtsp.port (BEEPER_RTSP_PORT), "
                    + "or switch RTSP off with rtsp.enabled: false.", e);
        }
        log.info("RTSP at rtsp://{}:{}/<camera> (RTP over UDP from {}-{}){}", config.host().equals("0.0.0.0") ? "localhost" : config.host(),
                port(), udpRtpPort(), udpRtcpPort(), auth == null ? "" : ", login required");
    }

    private void bindUdp() {
        Bootstrap b = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(512 * 1024, 2 * 1024 * 1024));
        if (config.udpPort() != 0) {
            try {
                rtp = bindOne(b, config.udpPort(), false);
                rtcp = bindOne(b, config.udpPort() + 1, true);
            } catch (Exception e) {
                throw new StartupException("RTSP cannot use UDP ports " + config.udpPort() + "-" + (config.udpPort() + 1) + " on "
                        + config.host() + ": " + reason(e) + ". Choose another even port with rtsp.udpPort (BEEPER_RTSP_UDP_PORT).", e);
            }
            return;
        }
        Random random = new Random();
        for (int attempt = 0; ; attempt++) {
            int p = 20_000 + 2 * random.nextInt(20_000);
            try {
                rtp = bindOne(b, p, false);
                rtcp = bindOne(b, p + 1, true);
                return;
            } catch (Exception e) {
                if (rtp != null) {
                    rtp.close().syncUninterruptibly();
                    rtp = null;
                }
                if (attempt > 50) {
                    throw new StartupException("RTSP found no free UDP port pair: " + reason(e) + ". Set rtsp.udpPort.", e);
                }
            }
        }
    }

    private Channel bindOne(Bootstrap b, int port, boolean rtcpSocket) {
        return b.clone().handler(new SimpleChannelInboundHandler<DatagramPacket>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                if (rtcpSocket) {
                    RtspConnection c = udpPeers.get(p.sender());
                    if (c != null) {
                        c.heard(); // a receiver report: the client is still watching
                    }
                }
            }
        }).bind(config.host(), port).syncUninterruptibly().channel();
    }

    private static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && !(t instanceof BindException)) {
            t = t.getCause();
        }
        return t instanceof BindException ? "the port is already in use" : String.valueOf(t.getMessage());
    }

    private final RtspConnection.Server shared = new RtspConnection.Server() {
        @Override
        public Optional<Stream> stream(String camera) {
            return streams.apply(camera);
        }

        @Override
        public RtspAuth auth() {
            return auth;
        }

        @Override
        public void droppedSlowClient() {
            slowDropped.incrementAndGet();
        }

        @Override
        public long stuckWriterMs() {
            return slow.stuckMs();
        }

        @Override
        public int timeoutSeconds() {
            return config.sessionTimeoutSeconds();
        }

        @Override
        public RtspSession.Udp udp() {
            return new RtspSession.Udp() {
                @Override
                public Channel rtp() {
                    return rtp;
                }

                @Override
                public Channel rtcp() {
                    return rtcp;
                }
            };
        }

        @Override
        public int udpRtpPort() {
            return RtspServer.this.udpRtpPort();
        }

        @Override
        public int udpRtcpPort() {
            return RtspServer.this.udpRtcpPort();
        }

        @Override
        public void udpSessionStarted(RtspSession s, RtspConnection c) {
            s.udpPeers().forEach(a -> udpPeers.put(a, c));
        }

        @Override
        public void udpSessionEnded(RtspSession s) {
            s.udpPeers().forEach(udpPeers::remove);
        }
    };

    /** The bound TCP port. */
    public int port() {
        return ((InetSocketAddress) tcp.localAddress()).getPort();
    }

    public int udpRtpPort() {
        return ((InetSocketAddress) rtp.localAddress()).getPort();
    }

    public int udpRtcpPort() {
        return ((InetSocketAddress) rtcp.localAddress()).getPort();
    }

    /** Clients dropped because they stopped taking what they were sent. */
    public long slowClientsDropped() {
        return slowDropped.get();
    }

    /** Connected clients right now. */
    public int clients() {
        return clients.get();
    }

    public ComponentHealth health() {
        Channel t = tcp;
        if (t == null || !t.isActive()) {
            return ComponentHealth.down("not listening");
        }
        return ComponentHealth.up("rtsp://<hub>:" + port() + "/<camera>, " + clients.get() + " client(s)"
                + (auth == null ? "" : ", login required") + (slowDropped.get() > 0 ? ", " + slowDropped.get() + " slow client(s) dropped" : ""));
    }

    @Override
    public void close() {
        for (Channel c : new Channel[]{tcp, rtp, rtcp}) {
            if (c != null) {
                c.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            }
        }
        EventLoopGroup g = group;
        if (g != null) {
            g.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
    }
}

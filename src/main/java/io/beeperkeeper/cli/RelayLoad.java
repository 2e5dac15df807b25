package io.beeperkeeper.cli;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load client of {@code beeper bench relay}, run in its own JVM so that its CPU is not counted
 * as the hub's: MSE-over-WebSocket viewers of each camera that read every message and throw it away,
 * as a browser that keeps up would. Each asks for what the page asks for: sound and the timing
 * messages of the delay badge. Each socket offers {@code permessage-deflate} as every browser
 * does (the JDK's WebSocket client cannot offer extensions, so this uses Netty's client, which the
 * jar carries for the embedded broker): what a viewer costs the hub depends on what it negotiates.
 * Driven by lines on stdin, answering on stdout:
 * <ul>
 *   <li>{@code viewers N}: open or close sockets until each camera has N; answers {@code ready N}
 *       once every socket has received its init segment and a first fragment;</li>
 *   <li>{@code stats}: answers {@code stats <bytes> <binary messages> <open sockets> <dropped by the hub>
 *       <failed in this client> <could not connect> <connects refused and retried> <max lag ms> | <reasons>}, the
 *       lag being the longest delay from the hub's receipt of a frame to this client reading its timing
 *       message since the last {@code stats} (it tells whether this client keeps up);</li>
 *   <li>{@code quit}.</li>
 * </ul>
 * New sockets are paced under the hub's {@code media.maxConnectsPerSecond} (a refused upgrade is retried
 * a second later).
 */
public final class RelayLoad {
    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final String wsBase;
    private final List<String> cameras;
    private final boolean deflate;
    private final List<Viewer> viewers = new ArrayList<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong hubDropped = new AtomicLong();
    private final AtomicLong clientFailed = new AtomicLong();
    private final AtomicLong refusedAttempts = new AtomicLong();
    private final AtomicLong connectFailed = new AtomicLong();
    private final AtomicLong maxLagMs = new AtomicLong();
    private final Map<String, Integer> reasons = new ConcurrentSkipListMap<>();

    /** One socket: counts what it reads; Netty answers the hub's pings. */
    private final class Viewer extends SimpleChannelInboundHandler<WebSocketFrame> {
        final CompletableFuture<Void> upgraded = new CompletableFuture<>();
        volatile Channel channel;
        volatile long binaries;
        volatile boolean closing;
        /**
         * The upgrade succeeded: only such a socket can be lost. An attempt the hub refused (429 over
         * media.maxConnectsPerSecond) also ends in a closed channel, and is retried, not lost.
         */
        volatile boolean established;
        /** Why the socket ended, once known: the hub's close frame, or this client's own error. */
        volatile String ending;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            bytes.addAndGet(frame.content().readableBytes());
            if ((frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame) && frame.isFinalFragment()) {
                binaries++;
                messages.incrementAndGet();
            } else if (frame instanceof TextWebSocketFrame text) {
                noteLag(text.text());
            } else if (frame instanceof CloseWebSocketFrame close) {
                ending = "hub closed it: " + close.statusCode() + " " + close.reasonText();
                ctx.close();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                established = true;
                upgraded.complete(null);
            } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                upgraded.completeExceptionally(new IllegalStateException("upgrade timed out"));
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (!established) {
                upgraded.completeExceptionally(new IllegalStateException("closed before the upgrade"));
            } else if (!closing) {
                String why = ending != null ? ending : "hub ended the connection without a close frame";
                if (why.startsWith("client")) {
                    clientFailed.incrementAndGet();
                } else {
                    hubDropped.incrementAndGet();
                }
                reasons.merge(why, 1, Integer::sum);
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!established) {
                upgraded.completeExceptionally(cause);
            } else if (ending == null) {
                ending = cause instanceof java.io.IOException ? "hub ended the connection: " + cause.getMessage()
                        : "client failed: " + cause;
            }
            ctx.close();
        }
    }

    /**
     * How late the newest frame's timing message reaches this client, from the hub's receive time in it
     * (same machine, same clock): a client that keeps up sees the camera-to-socket delay only.
     */
    private void noteLag(String text) {
        int end = text.lastIndexOf("]]");
        int start = text.lastIndexOf(',', end);
        if (!text.startsWith("{\"type\":\"t\"") || end < 0 || start < 0) {
            return;
        }
        try {
            long lag = System.currentTimeMillis() - Long.parseLong(text.substring(start + 1, end).trim());
            maxLagMs.accumulateAndGet(lag, Math::max);
        } catch (NumberFormatException ignored) {
            // not a timing message after all
        }
    }

    RelayLoad(String wsBase, List<String> cameras, boolean deflate) {
        this.wsBase = wsBase;
        this.cameras = cameras;
        this.deflate = deflate;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: RelayLoad ws://HOST:PORT CAMERA[,CAMERA...] [no-deflate]");
            System.exit(2);
        }
        RelayLoad load = new RelayLoad(args[0], List.of(args[1].split(",")), !(args.length > 2 && args[2].equals("no-deflate")));
        PrintStream out = System.out;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] w = line.trim().split("\\s+");
            try {
                switch (w[0]) {
                    case "viewers" -> out.println("ready " + load.viewers(Integer.parseInt(w[1])));
                    case "stats" -> out.println(load.stats());
                    case "quit" -> {
                        load.viewers(0);
                        out.flush();
                        System.exit(0);
                    }
                    default -> out.println("error unknown command '" + line + "'");
                }
            } catch (Exception e) {
                out.println("error " + e.toString().replace('\n', ' '));
            }
            out.flush();
        }
        System.exit(0);
    }

    /** The counters, and the lag since the last stats; then why sockets ended or failed, if any did. */
    String stats() {
        long open = viewers.stream().filter(v -> v.channel.isActive()).count();
        StringBuilder why = new StringBuilder();
        reasons.forEach((reason, n) -> why.append(why.length() == 0 ? "" : "; ").append(n).append(" x ").append(reason));
        return String.format(Locale.ROOT, "stats %d %d %d %d %d %d %d %d | %s", bytes.get(), messages.get(), open, hubDropped.get(),
                clientFailed.get(), connectFailed.get(), refusedAttempts.get(), maxLagMs.getAndSet(0), why.toString().replace('\n', ' '));
    }

    /** Brings every camera to {@code perCamera} sockets and waits until each one has had data. */
    int viewers(int perCamera) throws Exception {
        while (viewers.size() > perCamera * cameras.size()) {
            Viewer v = viewers.remove(viewers.size() - 1);
            v.closing = true;
            v.channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE)); // as a closing tab does
            v.channel.close().await(5, TimeUnit.SECONDS);
        }
        while (viewers.size() < perCamera * cameras.size()) {
            String camera = cameras.get(viewers.size() % cameras.size());
            viewers.add(open(camera));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (viewers.stream().anyMatch(v -> v.binaries < 2)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("some sockets got no video within 60 s");
            }
            Thread.sleep(50);
        }
        return perCamera;
    }

    /** Ends the client's event loop (its sockets with it). */
    void close() {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private Viewer open(String camera) throws Exception {
        URI uri = URI.create(wsBase + "/api/cameras/" + camera + "/ws?stats=1&audio=1"); // as the page opens it
        for (int attempt = 0; ; attempt++) {
            Viewer v = new Viewer();
            Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536));
                            if (deflate) {
                                ch.pipeline().addLast(WebSocketClientCompressionHandler.INSTANCE);
                            }
                            ch.pipeline().addLast(new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                                    .webSocketUri(uri).version(WebSocketVersion.V13).allowExtensions(deflate)
                                    .customHeaders(new DefaultHttpHeaders()).maxFramePayloadLength(16 * 1024 * 1024)
                                    .handleCloseFrames(false).build()), v);
                        }
                    });
            try {
                v.channel = b.connect(uri.getHost(), uri.getPort()).sync().channel();
                v.upgraded.get(15, TimeUnit.SECONDS);
                return v;
            } catch (Exception e) {
                if (v.channel != null) {
                    v.closing = true;
                    v.channel.close();
                }
                Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
                if (cause instanceof WebSocketHandshakeException && String.valueOf(cause.getMessage()).contains("429")) {
                    refusedAttempts.incrementAndGet(); // media.maxConnectsPerSecond: expected while opening many
                } else {
                    reasons.merge("failed to connect (retried): " + cause, 1, Integer::sum);
                }
                if (attempt > 30) {
                    connectFailed.incrementAndGet();
                    throw new IllegalStateException("cannot open " + uri + ": " + cause, cause);
                }
                Thread.sleep(1100); // media.maxConnectsPerSecond: wait for the next second's tokens
            }
        }
    }
}

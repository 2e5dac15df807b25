package io.beeperkeeper.web.media;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.media.Cameras;
import io.beeperkeeper.media.MediaOutputs;
import io.beeperkeeper.media.Stream;
import io.beeperkeeper.media.Tracks;
import io.beeperkeeper.media.ViewerRegistry;
import io.beeperkeeper.media.camera.CameraState;
import io.beeperkeeper.media.camera.CameraSupervisor;
import io.beeperkeeper.media.hls.LlHlsStream;
import io.beeperkeeper.web.Answers;
import io.beeperkeeper.web.WebModule;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The cameras' HTTP surface, thin over {@link MediaOutputs}: {@code GET /api/cameras} (what each
 * camera carries and where to watch it; the page builds its players from exactly this),
 * {@code /api/cameras/<name>/ws} (MSE over WebSocket, see {@link MseViewer}),
 * {@code /api/cameras/<name>/index.m3u8} (LL-HLS, see {@link LlHlsStream}) and
 * {@code /api/cameras/<name>/snapshot.jpg}.
 */
public final class MediaWebModule implements WebModule {
    private static final Logger log = LoggerFactory.getLogger(MediaWebModule.class);
    /** A blocking playlist reload waits at most this long (three target durations, RFC 8216bis). */
    static final int PLAYLIST_HOLD_SECONDS = 3;
    /**
     * A request for the preload-hinted part waits at most this long. A part comes every few frames; a
     * camera silent longer than media.hangSeconds is restarted anyway, so the hold only rides out a
     * loaded machine's pauses, which a 404 would turn into an error in the viewer's player.
     */
    static final int HINTED_PART_HOLD_SECONDS = 10;
    /**
     * LL-HLS caching, so a CDN (Cloudflare) or any caching proxy serves many remote viewers from one
     * fetch: parts, segments and init segments never change under their name (see {@link LlHlsStream});
     * the live playlist changes with every part, so a cache may keep it only a second; a blocking
     * reload's answer stays right for its URL.
     */
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    static final String LIVE_PLAYLIST = "public, max-age=1";
    static final String BLOCKING_PLAYLIST = "public, max-age=60";
    /** A hinted part that its segment ended without: the name is never used, so the 404 stays right. */
    static final String NEVER_PART = "public, max-age=60";

    /**
     * A viewer's socket that neither sends nor accepts anything this long is closed. The hub pings
     * every 15 s and writes every frame, so only a dead connection gets there; one that stopped reading
     * is cut sooner by media.writeDeadlineSeconds.
     */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

    private final Cameras cameras;
    private final MediaOutputs outputs;
    private final ViewerRegistry viewers;
    private final ObjectMapper json;

    /** One WebSocket viewer: its MSE writer and its subscription to the camera. */
    private record Viewer(String camera, WsContext ctx, MseViewer mse, Stream.Subscription subscription)
            implements ViewerRegistry.Viewer {
        @Override
        public boolean isOpen() {
            return ctx.session.isOpen();
        }

        @Override
        public boolean overdue(long deadlineNanos) {
            return mse.overdue(deadlineNanos);
        }

        @Override
        public void close() {
            mse.close();
            if (subscription != null) {
                subscription.close();
            }
        }

        @Override
        public void disconnect() {
            ctx.session.disconnect();
        }
    }

    public MediaWebModule(MediaOutputs outputs, ObjectMapper json) {
        this.cameras = outputs.cameras();
        this.outputs = outputs;
        this.viewers = outputs.viewers();
        this.json = json;
    }

    @Override
    public void register(RoutesConfig app) {
        app.get("/api/cameras", ctx -> ctx.json(cameras.all().stream().map(this::describe).toList()));
        app.get("/api/cameras/{name}", ctx -> ctx.json(describe(camera(ctx))));
        app.get("/api/cameras/{name}/snapshot.jpg", this::snapshot);
        app.wsBeforeUpgrade("/api/cameras/{name}/ws", this::beforeUpgrade);
        app.ws("/api/cameras/{name}/ws", this::websocket);
        app.get("/api/cameras/{name}/index.m3u8", this::playlist);
        app.get("/api/cameras/{name}/hls/{file}", this::hlsInit);
        app.get("/api/cameras/{name}/hls/seg/{file}", this::hlsSegment);
        app.get("/api/cameras/{name}/hls/part/{file}", this::hlsPart);
    }

    /** Number of MSE viewers of a camera right now: only sockets still open count. */
    public int viewerCount(String camera) {
        return viewers.count(camera);
    }

    private CameraSupervisor camera(Context ctx) {
        String name = ctx.pathParam("name");
        return cameras.get(name).orElseThrow(() -> new io.javalin.http.NotFoundResponse(
                "no camera named '" + name + "'; cameras: " + String.join(", ", cameras.names())));
    }

    private Map<String, Object> describe(CameraSupervisor cam) {
        String base = "/api/cameras/" + cam.name();
        CameraState state = cam.state();
        Optional<Tracks> tracks = cam.stream().tracks();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", cam.name());
        m.put("source", cam.config().source());
        m.put("state", state.label());
        m.put("reason", state.reason());
        m.put("since", state.since().toString());
        m.put("restarts", state.restarts());
        m.put("lowered", Cameras.lowered(cam));
        m.put("video", tracks.map(t -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("codec", t.video().codec());
            v.put("codecString", t.video().codecString());
            v.put("width", t.video().width());
            v.put("height", t.video().height());
            v.put("fps", t.video().fps());
            return v;
        }).orElse(null));
        m.put("audio", tracks.flatMap(Tracks::audio).map(a -> Map.of("codec", a.codec().name(), "codecString", a.codecString(),
                "sampleRate", a.sampleRate(), "channels", a.channels())).orElse(null));
        m.put("audioExpected", cam.config().hasAudio());
        m.put("mimeType", tracks.map(Tracks::mimeType).orElse(null));
        m.put("mimeTypeVideoOnly", tracks.map(t -> Tracks.videoOnly(t.video()).mimeType()).orElse(null));
        m.put("viewers", viewerCount(cam.name()));
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.putAll(this.outputs.extraOutputs(cam.name()));
        outputs.put("mse", base + "/ws");
        outputs.put("hls", base + "/index.m3u8");
        outputs.put("snapshot", base + "/snapshot.jpg");
        m.put("outputs", outputs);
        return m;
    }

    private void snapshot(Context ctx) throws Exception {
        CameraSupervisor cam = camera(ctx);
        Optional<byte[]> jpeg = outputs.snapshot(cam.stream());
        if (jpeg.isEmpty()) {
            Answers.error(ctx, 503, "camera '" + cam.name() + "' has no picture yet: "
                    + cam.state().label() + " (" + cam.state().reason() + ")");
            return;
        }
        ctx.header("Cache-Control", "no-store").contentType("image/jpeg").result(jpeg.get());
    }

    private LlHlsStream hls(Context ctx) {
        String name = camera(ctx).name();
        return outputs.hls(name).orElseThrow(() -> new io.javalin.http.NotFoundResponse("camera '" + name + "' has no HLS output"));
    }

    private void playlist(Context ctx) {
        LlHlsStream h = hls(ctx);
        outputs.hlsRequest(ctx.pathParam("name"), clientAddress(ctx) + " " + ctx.header("User-Agent"));
        String msnParam = ctx.queryParam("_HLS_msn");
        String partParam = ctx.queryParam("_HLS_part");
        if (msnParam == null) {
            writePlaylist(ctx, h, LIVE_PLAYLIST);
            return;
        }
        long msn;
        int part;
        try {
            msn = Long.parseLong(msnParam);
            part = partParam == null ? -1 : Integer.parseInt(partParam);
        } catch (NumberFormatException e) {
            throw new BadRequestResponse("_HLS_msn and _HLS_part must be whole numbers");
        }
        if (msn < 0 || part < -1 || !h.reachable(msn)) {
            throw new BadRequestResponse("_HLS_msn=" + msn + " is too far ahead of the live edge");
        }
        // A playlist that holds the asked-for part stays a right answer to that URL, so a cache may keep
        // it and answer every viewer asking the same (a CDN coalesces the waiting requests into one);
        // one that timed out without it must be asked again soon.
        ctx.future(() -> h.await(msn, part).completeOnTimeout(null, PLAYLIST_HOLD_SECONDS, TimeUnit.SECONDS)
                .thenAccept(v -> writePlaylist(ctx, h, h.contains(msn, part) ? BLOCKING_PLAYLIST : LIVE_PLAYLIST)));
    }

    private void writePlaylist(Context ctx, LlHlsStream h, String cacheControl) {
        Optional<String> p = h.playlist();
        if (p.isEmpty()) {
            ctx.header("Cache-Control", "no-store");
            Answers.error(ctx, 503, "camera has no video yet; retry in a second");
            return;
        }
        ctx.header("Cache-Control", cacheControl);
        ctx.contentType("application/vnd.apple.mpegurl").result(p.get());
    }

    private void hlsInit(Context ctx) {
        LlHlsStream h = hls(ctx);
        String file = ctx.pathParam("file");
        if (!file.matches("init-\\d{1,18}\\.mp4")) {
            throw notFound(ctx, "no such HLS file");
        }
        long version = Long.parseLong(file.substring(5, file.length() - 4));
        byte[] init = h.init(version).orElseThrow(() -> notFound(ctx, "init segment " + version + " is not the camera's current one"));
        ctx.header("Cache-Control", IMMUTABLE).contentType("video/mp4").result(init);
    }

    private void hlsSegment(Context ctx) {
        LlHlsStream h = hls(ctx);
        long msn = parseLong(ctx.pathParam("file").replaceFirst("\\.m4s$", ""));
        byte[] seg = h.segment(msn).orElseThrow(() -> notFound(ctx, "segment " + msn + " is not available"));
        ctx.header("Cache-Control", IMMUTABLE).contentType("video/iso.segment").result(seg);
    }

    private void hlsPart(Context ctx) {
        LlHlsStream h = hls(ctx);
        String[] parts = ctx.pathParam("file").replaceFirst("\\.m4s$", "").split("\\.");
        if (parts.length != 2) {
            throw new io.javalin.http.NotFoundResponse("no such part");
        }
        long msn = parseLong(parts[0]);
        int index = (int) parseLong(parts[1]);
        Optional<byte[]> now = h.part(msn, index);
        if (now.isPresent()) {
            ctx.header("Cache-Control", IMMUTABLE).contentType("video/iso.segment").result(now.get());
            return;
        }
        if (!h.isFuturePart(msn, index)) {
            throw notFound(ctx, "part " + msn + "." + index + " is not available");
        }
        // The preload hint: hold the request until the part is complete.
        ctx.future(() -> h.await(msn, index).completeOnTimeout(null, HINTED_PART_HOLD_SECONDS, TimeUnit.SECONDS).thenAccept(v -> {
            Optional<byte[]> done = h.part(msn, index);
            if (done.isPresent()) {
                ctx.header("Cache-Control", IMMUTABLE).contentType("video/iso.segment").result(done.get());
            } else if (h.neverPart(msn, index)) {
                // The segment ended (a keyframe came) before this part: its name will never be used, so
                // a cache may keep the answer and spare the hub every other viewer's request for it.
                ctx.header("Cache-Control", NEVER_PART);
                Answers.error(ctx, 404, "part " + msn + "." + index + " does not exist: segment " + msn
                        + " ended before it; the playlist names the next part");
            } else {
                ctx.header("Cache-Control", "no-store");
                Answers.error(ctx, 404, "part " + msn + "." + index + " did not appear");
            }
        }));
    }

    /** A 404 no cache keeps: the file may exist a moment later. */
    private static io.javalin.http.NotFoundResponse notFound(Context ctx, String message) {
        ctx.header("Cache-Control", "no-store");
        return new io.javalin.http.NotFoundResponse(message);
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new io.javalin.http.NotFoundResponse("no such HLS file");
        }
    }

    private void websocket(WsConfig ws) {
        ws.onConnect(ctx -> {
            String name = ctx.pathParam("name");
            Optional<CameraSupervisor> cam = cameras.get(name);
            if (cam.isEmpty()) {
                ctx.closeSession(StatusCode.POLICY_VIOLATION, "no camera named '" + name + "'");
                return;
            }
            if (viewerCount(name) >= cameras.media().maxViewers()) {
                ctx.closeSession(StatusCode.TRY_AGAIN_LATER, "too many viewers of camera '" + name + "' (media.maxViewers)");
                return;
            }
            ctx.session.setIdleTimeout(IDLE_TIMEOUT);
            ctx.enableAutomaticPings(15, TimeUnit.SECONDS);
            boolean audio = !"0".equals(ctx.queryParam("audio"));
            boolean audioApart = "separate".equals(ctx.queryParam("audio")); // the page plays the sound itself
            boolean stats = "1".equals(ctx.queryParam("stats"));
            MseViewer mse = new MseViewer(((WebSocketSession) ctx.session).getCoreSession(), outputs.fragments(name),
                    cameras.media().viewerQueueFrames(), audio, audioApart, stats, json, () -> drop(ctx), cam.get().stream()::countDropped);
            // Register before subscribing: the GOP replay starts sending at once.
            Viewer placeholder = new Viewer(name, ctx, mse, null);
            viewers.put(ctx, placeholder);
            Stream.Subscription sub = cam.get().stream().subscribe(mse.queue());
            viewers.put(ctx, new Viewer(name, ctx, mse, sub));
            if (!ctx.session.isOpen()) {
                drop(ctx); // it left while being set up: its close may have come before it was registered
            }
        });
        ws.onClose(ctx -> {
            drop(ctx);
            // A page that closes or reloads says 1000/1001 (or nothing), a connection that vanished (a phone
            // off the Wi-Fi) is 1006; anything else is the hub or the browser refusing something.
            int status = ctx.status();
            if (status == StatusCode.NORMAL || status == StatusCode.SHUTDOWN || status == StatusCode.NO_CODE
                    || status == StatusCode.ABNORMAL) {
                log.debug("camera {}: a viewer's socket closed: {} {}", ctx.pathParam("name"), status, ctx.reason());
            } else {
                log.info("camera {}: a viewer's socket closed: {} {}", ctx.pathParam("name"), status, ctx.reason());
            }
        });
        ws.onError(ctx -> {
            drop(ctx);
            Throwable error = ctx.error();
            if (error instanceof org.eclipse.jetty.websocket.api.exceptions.WebSocketTimeoutException
                    || error instanceof org.eclipse.jetty.websocket.core.exception.WebSocketTimeoutException) {
                log.info("camera {}: closing a viewer's socket that sent and accepted nothing for {} s", ctx.pathParam("name"),
                        IDLE_TIMEOUT.toSeconds());
            } else {
                log.debug("camera {}: a viewer's socket failed: {}", ctx.pathParam("name"), String.valueOf(error));
            }
        });
        ws.onMessage(ctx -> { }); // the protocol is one-way; ignore anything a client sends
    }

    /** Refuses an address that opens connections faster than {@code media.maxConnectsPerSecond}, before the upgrade. */
    private void beforeUpgrade(Context ctx) {
        String client = clientAddress(ctx);
        if (!outputs.allowConnect(client)) {
            log.debug("camera viewer connection from {} refused: over media.maxConnectsPerSecond", client);
            throw new io.javalin.http.HttpResponseException(429, "too many new connections from " + client
                    + " (at most " + cameras.media().maxConnectsPerSecond() + " a second); retry in a second");
        }
    }

    /**
     * The address a connection comes from: the socket's, or, for a connection the hub's own
     * cloudflared (on loopback) forwards, the visitor's address Cloudflare names.
     */
    private static String clientAddress(Context ctx) {
        String socket = ctx.req().getRemoteAddr();
        String forwarded = ctx.header("Cf-Connecting-IP");
        boolean loopback = socket != null && (socket.startsWith("127.") || socket.equals("::1") || socket.equals("0:0:0:0:0:0:0:1"));
        return loopback && forwarded != null && !forwarded.isBlank() ? forwarded.trim() : String.valueOf(socket);
    }

    private void drop(WsContext ctx) {
        viewers.remove(ctx);
    }
}

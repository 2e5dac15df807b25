package io.beeperkeeper.web.webrtc;

import io.beeperkeeper.media.webrtc.WebRtcFeature;
import io.beeperkeeper.media.webrtc.WebRtcServer;

import io.beeperkeeper.web.Answers;
import io.beeperkeeper.web.WebModule;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * WHEP over HTTP (draft-ietf-wish-whep): {@code POST /api/cameras/{name}/whep} with an SDP offer
 * answers 201 with the SDP answer and the session's {@code Location}; {@code DELETE} there ends the
 * session; {@code PATCH} (trickle ICE) is 405 since the hub is ICE-lite and its answer carries every
 * candidate. Answers are {@code application/sdp} as WHEP demands; refusals are the web layer's
 * {@code {"error": "..."}} JSON. {@code GET /api/webrtc} tells the page whether trying WebRTC makes sense for this request.
 */
public final class WhepModule implements WebModule {
    private static final Logger log = LoggerFactory.getLogger(WhepModule.class);
    private static final int MAX_OFFER_BYTES = 64 * 1024;
    private static final String SDP = "application/sdp";

    private final Supplier<WebRtcServer> server;

    public WhepModule(WebRtcServer server) {
        this(() -> server);
    }

    /** @param server the WebRTC server once it has started (the hub's routes exist before its parts are up) */
    public WhepModule(Supplier<WebRtcServer> server) {
        this.server = server;
    }

    /** WHEP offers are application/sdp; Chromium's are 5-10 KiB. */
    @Override
    public io.beeperkeeper.web.RequestGuards guards(io.beeperkeeper.web.RequestGuards guards) {
        return guards.allow("/api/cameras/", 64 * 1024, "application/sdp");
    }

    /** The WHEP endpoint of a camera (as listed in {@code /api/cameras}). */
    public static String path(String camera) {
        return WebRtcFeature.whepPath(camera);
    }

    @Override
    public void register(RoutesConfig app) {
        app.post("/api/cameras/{name}/whep", this::offer);
        app.delete("/api/cameras/{name}/whep/{session}", this::delete);
        app.patch("/api/cameras/{name}/whep/{session}", ctx -> Answers.error(ctx.header("Allow", "DELETE"), 405,
                "trickle ICE is not needed: the hub is ICE-lite and its answer lists all its candidates"));
        app.get("/api/webrtc", this::status);
    }

    private void offer(Context ctx) {
        String camera = ctx.pathParam("name");
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        if (!type.startsWith(SDP)) {
            Answers.error(ctx, 415, "WHEP needs Content-Type: application/sdp (got '" + type + "')");
            return;
        }
        byte[] body = ctx.bodyAsBytes();
        if (body.length > MAX_OFFER_BYTES) {
            Answers.error(ctx, 413, "SDP offer larger than " + MAX_OFFER_BYTES + " bytes");
            return;
        }
        InetAddress local = null;
        try {
            String addr = ctx.req().getLocalAddr();
            local = addr == null ? null : InetAddress.getByName(addr);
        } catch (UnknownHostException e) {
            // no usable address: only configured addresses are announced
        }
        WebRtcServer.Answer answer = server.get().createSession(camera, new String(body, StandardCharsets.UTF_8), local);
        if (answer instanceof WebRtcServer.Created c) {
            String location = path(camera) + "/" + c.sessionId();
            ctx.status(201).header("Location", location).header("ETag", "\"" + c.sessionId() + "\"")
                    .header("Access-Control-Expose-Headers", "Location");
            if (c.audioNote() != null) {
                ctx.header("X-Beeper-Audio", c.audioNote());
            }
            ctx.contentType(SDP).result(c.answer());
        } else if (answer instanceof WebRtcServer.Refused r) {
            int status = status(r.reason());
            log.info("WHEP offer for camera {} refused ({}): {}", camera, status, r.message());
            Answers.error(ctx, status, r.message());
        }
    }

    /** The HTTP status WHEP answers a refusal with. */
    public static int status(WebRtcServer.Reason reason) {
        return switch (reason) {
            case NO_SUCH_CAMERA -> 404;
            case NOT_LIVE, CAMERA_FULL -> 503; // the page falls back to MSE
            case MALFORMED_OFFER -> 400;
            case NO_COMMON_CODEC -> 406;
        };
    }

    private void delete(Context ctx) {
        if (server.get().deleteSession(ctx.pathParam("session"))) {
            ctx.status(200);
        } else {
            Answers.error(ctx, 404, "no such WebRTC session (it may have timed out already)");
        }
    }

    private void status(Context ctx) {
        // Behind an HTTP-only tunnel or proxy (Cloudflare, a reverse proxy) UDP to the hub's address
        // will not work: the page goes straight to MSE instead of waiting for ICE to fail.
        boolean proxied = ctx.header("Cf-Connecting-Ip") != null || ctx.header("X-Forwarded-For") != null
                || ctx.header("Forwarded") != null || ctx.header("Cf-Ray") != null;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enabled", true);
        out.put("direct", !proxied);
        out.put("udpPort", server.get().port());
        out.put("sessions", server.get().sessionCount());
        ctx.json(out);
    }
}

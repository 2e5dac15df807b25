package io.beeperkeeper.web.viewers;

import io.beeperkeeper.viewers.ClientAddresses;
import io.beeperkeeper.viewers.IdentityResolver;
import io.beeperkeeper.viewers.IdentityResolvers;
import io.beeperkeeper.viewers.IdentityResult;
import io.beeperkeeper.viewers.IncomingRequest;
import io.beeperkeeper.viewers.ViewerIdentity;
import io.beeperkeeper.web.CoreWeb;
import io.beeperkeeper.web.RequestRefused;
import io.beeperkeeper.web.metrics.MetricsWeb;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns an HTTP request into a {@link ViewerIdentity}, once per request. In the modes that verify
 * identity (cloudflare-access, trusted-proxy) it also guards the whole hub: a request nobody vouches
 * for gets 401, as JSON on {@code /api/...} and as a plain explanatory page elsewhere, never a
 * fallback identity.
 */
public final class IdentityGate {
    private static final Logger log = LoggerFactory.getLogger(IdentityGate.class);
    private static final String ATTRIBUTE = "beeper.viewer";
    private final AtomicLong refused = new AtomicLong();

    private final IdentityResolver resolver;
    private final String howToGetIn;

    /**
     * @param howToGetIn one sentence for the 401 page telling the visitor how to get in
     */
    public IdentityGate(IdentityResolver resolver, String howToGetIn) {
        this.resolver = resolver;
        this.howToGetIn = howToGetIn;
    }

    /**
     * Refuse every HTTP request and WebSocket upgrade without an identity (for the verifying modes),
     * except a plain health probe from this machine (systemd, Docker and uptime checks on the Pi),
     * which gets the status alone, and a scrape of {@code /metrics} from this machine (a Prometheus
     * or an agent on the Pi).
     */
    public void guardEverything(RoutesConfig app) {
        RequestRefused.install(app);
        app.before(ctx -> {
            if (isLocalHealthProbe(ctx)) {
                ctx.attribute(CoreWeb.STATUS_ONLY, Boolean.TRUE);
                return;
            }
            if (isLocalProbe(ctx, MetricsWeb.PATH)) {
                return;
            }
            require(ctx);
        });
        app.wsBeforeUpgrade(this::require);
    }

    /** A GET of /api/health from loopback with no token and no relay header (cloudflared adds them). */
    static boolean isLocalHealthProbe(Context ctx) {
        return isLocalProbe(ctx, CoreWeb.HEALTH_PATH);
    }

    /** A GET of this path from loopback with no token and no relay header (cloudflared adds them). */
    static boolean isLocalProbe(Context ctx, String path) {
        IncomingRequest r = request(ctx);
        return path.equals(ctx.path())
                && ("GET".equals(ctx.method().name()) || "HEAD".equals(ctx.method().name()))
                && ClientAddresses.isLoopback(r.socketAddress())
                && r.header(IdentityResolvers.ACCESS_HEADER) == null
                && IdentityResolvers.isDirect(r);
    }

    /** The identity of the request's sender; throws {@link RequestRefused} (401) when there is none. */
    public ViewerIdentity require(Context ctx) {
        Object cached = ctx.attribute(ATTRIBUTE);
        if (cached instanceof ViewerIdentity v) {
            return v;
        }
        IdentityResult r = resolver.resolve(request(ctx));
        if (r instanceof IdentityResult.Identified id) {
            ctx.attribute(ATTRIBUTE, id.identity());
            return id.identity();
        }
        String reason = ((IdentityResult.Refused) r).reason();
        refused.incrementAndGet();
        if (ctx.header(IdentityResolvers.ACCESS_HEADER) != null) {
            // a token that is present but bad is someone forging or replaying one: worth a warning
            log.warn("refused {} {} from {}: {}", ctx.method(), ctx.path(), ctx.req().getRemoteAddr(), reason);
        } else {
            log.debug("refused {} {} from {}: {}", ctx.method(), ctx.path(), ctx.req().getRemoteAddr(), reason);
        }
        boolean api = ctx.path().startsWith("/api/");
        throw new RequestRefused(401, "not signed in: " + reason, Map.of("Cache-Control", "no-store"), api ? null : page(reason));
    }

    /** How many requests were refused for want of an identity since start. */
    public long refusedCount() {
        return refused.get();
    }

    static IncomingRequest request(Context ctx) {
        return new IncomingRequest() {
            @Override
            public String socketAddress() {
                return ctx.req().getRemoteAddr();
            }

            @Override
            public String header(String name) {
                return ctx.header(name);
            }
        };
    }

    private String page(String reason) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Beeper Keeper: sign-in required</title></head>"
                + "<body><h1>Sign-in required</h1><p>This Beeper Keeper hub only shows its cameras and chat to signed-in visitors. "
                + escape(howToGetIn) + "</p><p>Why this request was refused: " + escape(reason) + "</p></body></html>";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

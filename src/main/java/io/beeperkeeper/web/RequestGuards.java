package io.beeperkeeper.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks on requests to the hub. On every request, WebSocket upgrades and the SSE stream included:
 * the {@code Host} must be one of the hub's names ({@link AllowedHosts}, against DNS rebinding), else
 * 421. On every state-changing request (POST, PUT, PATCH, DELETE), against cross-site request forgery
 * and oversized input:
 * <ul>
 *   <li>same origin: an {@code Origin} (or, without it, {@code Referer}) must name the host the
 *       request was sent to; a request with neither is accepted only with a JSON body, which a
 *       foreign page cannot send without a CORS preflight the hub never grants;</li>
 *   <li>content type: {@code application/json} unless a path rule allows others;</li>
 *   <li>body size: a Content-Length no larger than 4 KiB unless a path rule allows more (411
 *       without a Content-Length).</li>
 * </ul>
 * Every WebSocket upgrade gets the same-origin check too ({@link #checkUpgradeOrigin}).
 * Features whose endpoints take something else (an SDP offer, a Beacon's text/plain) add a rule with
 * {@link #allow(String, int, String...)}; the same-origin check applies to every path.
 */
public final class RequestGuards {
    public static final int DEFAULT_MAX_BYTES = 4096;
    private static final Set<String> CORS_SIMPLE_TYPES = Set.of("application/x-www-form-urlencoded", "multipart/form-data", "text/plain");
    private static final Logger log = LoggerFactory.getLogger(RequestGuards.class);
    private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");

    private record Rule(String pathPrefix, int maxBytes, Set<String> contentTypes) {
    }

    private final List<Rule> rules;
    private final AllowedHosts hosts;
    private final Set<String> refusedHostsLogged = ConcurrentHashMap.newKeySet();

    private RequestGuards(List<Rule> rules, AllowedHosts hosts) {
        this.rules = List.copyOf(rules);
        this.hosts = hosts;
    }

    /** JSON bodies of at most 4 KiB everywhere; the Host must be this machine's name, an address or localhost. */
    public static RequestGuards defaults() {
        return new RequestGuards(List.of(), AllowedHosts.parse(""));
    }

    /**
     * A copy that also answers to these host names ({@code web.allowedHosts}: comma-separated, such
     * as a tunnel's public name; {@code *} for any).
     */
    public RequestGuards allowHosts(String commaSeparated) {
        return new RequestGuards(rules, AllowedHosts.parse(commaSeparated));
    }

    /** A copy that lets paths starting with {@code pathPrefix} carry these content types up to {@code maxBytes}. */
    public RequestGuards allow(String pathPrefix, int maxBytes, String... contentTypes) {
        List<Rule> more = new ArrayList<>(rules);
        Set<String> types = new java.util.HashSet<>();
        for (String t : contentTypes) {
            types.add(t.toLowerCase(Locale.ROOT));
        }
        more.add(0, new Rule(pathPrefix, maxBytes, Set.copyOf(types)));
        return new RequestGuards(more, hosts);
    }

    /** Install before every feature's handlers (the identity gate included). */
    public void install(RoutesConfig app) {
        RequestRefused.install(app);
        hosts.resolveMachineNames();
        app.before(ctx -> {
            try {
                checkHost(ctx);
                check(ctx);
            } catch (RequestRefused e) {
                log.info("refused {} {} from {}: {}", ctx.method(), ctx.path(), ctx.req().getRemoteAddr(), e.getMessage());
                throw e;
            }
        });
        app.wsBeforeUpgrade(ctx -> {
            try {
                checkHost(ctx);
                checkUpgradeOrigin(ctx);
            } catch (RequestRefused e) {
                log.info("refused WebSocket {} from {}: {}", ctx.path(), ctx.req().getRemoteAddr(), e.getMessage());
                throw e;
            }
        });
    }

    /** Throws {@link RequestRefused} (421) when the Host header is not one of the hub's names. */
    void checkHost(Context ctx) {
        String host = ctx.header("Host");
        if (hosts.allows(host)) {
            return;
        }
        String name = AllowedHosts.hostOnly(host);
        if (refusedHostsLogged.size() < 100 && refusedHostsLogged.add(name)) {
            log.warn("refused a request for Host '{}' from {}: not one of this hub's names {}. If it is one (a tunnel's "
                    + "or reverse proxy's public name), add it to web.allowedHosts", name, ctx.req().getRemoteAddr(), hosts.names());
        }
        throw new RequestRefused(421, "this hub does not answer to the host name '" + name + "'; if it is one of its "
                + "names (a tunnel's or reverse proxy's public name), add it to web.allowedHosts in beeper.yaml "
                + "(or BEEPER_WEB_ALLOWED_HOSTS)");
    }

    /**
     * The same-origin rule for every WebSocket upgrade: a browser always sends {@code Origin} with one,
     * so a page of another site is refused (403) and cannot pull a camera's video with the viewer's
     * cookies. A client that sends no Origin is no browser page (a script, a player) and is let in, as
     * for WHEP.
     */
    public static void checkUpgradeOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        String host = ctx.header("Host");
        if (origin != null && !sameHost(origin, host)) {
            throw new RequestRefused(403, "cross-origin WebSocket refused: Origin " + origin + " is not this hub (" + host + ")");
        }
    }

    /** Throws {@link RequestRefused} when the request breaks a rule. */
    public void check(Context ctx) {
        String method = ctx.method().name();
        if (!STATE_CHANGING.contains(method)) {
            return;
        }
        Rule rule = ruleFor(ctx.path());
        String type = mediaType(ctx.header("Content-Type"));
        long length = ctx.req().getContentLengthLong();
        String chunked = ctx.header("Transfer-Encoding");

        // A foreign page can only send these without a CORS preflight (which the hub never grants):
        // a POST with no body type or a form/text type. Anything else may come from a script or a
        // WHEP client that sends no Origin.
        boolean needsPreflight = !"POST".equals(method) || (type != null && !CORS_SIMPLE_TYPES.contains(type));
        checkOrigin(ctx, needsPreflight);

        if (length < 0 && chunked != null) {
            throw new RequestRefused(411, "send a Content-Length header; bodies of unknown length are not accepted");
        }
        if (length > rule.maxBytes()) {
            throw new RequestRefused(413, "request body is " + length + " bytes; at most " + rule.maxBytes() + " are accepted");
        }
        if (length > 0 || type != null) {
            boolean ok = "application/json".equals(type) || rule.contentTypes().contains(type);
            if (!ok) {
                throw new RequestRefused(415, "send the body as application/json" + (type == null ? "" : " (got " + type + ")"));
            }
        }
    }

    private void checkOrigin(Context ctx, boolean needsPreflight) {
        String host = ctx.header("Host");
        String origin = ctx.header("Origin");
        if (origin != null) {
            if (!sameHost(origin, host)) {
                throw new RequestRefused(403, "cross-origin request refused: Origin " + origin + " is not this hub (" + host + ")");
            }
            return;
        }
        String referer = ctx.header("Referer");
        if (referer != null) {
            if (!sameHost(referer, host)) {
                throw new RequestRefused(403, "cross-origin request refused: Referer is not this hub (" + host + ")");
            }
            return;
        }
        if (!needsPreflight) {
            throw new RequestRefused(403, "request refused: without an Origin header only application/json (or another "
                    + "non-form) body is accepted");
        }
    }

    private Rule ruleFor(String path) {
        for (Rule r : rules) {
            if (path.startsWith(r.pathPrefix())) {
                return r;
            }
        }
        return new Rule("/", DEFAULT_MAX_BYTES, Set.of());
    }

    private static String mediaType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** Compares host and port only: behind a TLS-terminating proxy the hub sees http while the page is https. */
    static boolean sameHost(String url, String host) {
        if (host == null || url == null) {
            return false;
        }
        try {
            URI u = URI.create(url.trim());
            if (u.getHost() == null || (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()))) {
                return false;
            }
            String authority = u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort();
            String h = host.trim().toLowerCase(Locale.ROOT);
            String a = authority.toLowerCase(Locale.ROOT);
            if (a.equals(h)) {
                return true;
            }
            // default ports may be written or left out on either side
            int defaultPort = "https".equals(u.getScheme()) ? 443 : 80;
            return u.getPort() < 0 ? h.equals(a + ":" + defaultPort) : (u.getPort() == defaultPort && h.equals(u.getHost().toLowerCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

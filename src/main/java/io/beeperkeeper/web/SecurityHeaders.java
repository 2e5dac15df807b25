package io.beeperkeeper.web;

import io.javalin.config.RoutesConfig;

/**
 * Response headers every answer of the hub carries: a Content-Security-Policy that allows scripts
 * only from the hub's own files (no inline scripts, no eval), {@code nosniff}, no framing, and never
 * {@code Access-Control-Allow-Origin: *} (the hub serves no cross-origin API). Inline styles stay
 * allowed because style attributes are harmless next to script-src 'self' and some page parts use them.
 */
final class SecurityHeaders {
    public static final String CSP = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "media-src 'self' blob: mediastream:",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    private SecurityHeaders() {
    }

    /** Install as the first before-handler so refusals and static files get the headers too. */
    public static void install(RoutesConfig app) {
        app.before(ctx -> {
            ctx.header("Content-Security-Policy", CSP);
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("X-Frame-Options", "DENY");
            ctx.header("Referrer-Policy", "same-origin");
        });
        app.after(ctx -> {
            if ("*".equals(ctx.res().getHeader("Access-Control-Allow-Origin"))) {
                ctx.res().setHeader("Access-Control-Allow-Origin", null);
            }
        });
    }
}

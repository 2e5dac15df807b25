package io.beeperkeeper.web;

import io.javalin.config.RoutesConfig;

import java.util.Map;

/**
 * Thrown by a before-handler (guard, identity gate) to end a request at once with a status and a
 * reason. {@link #install(RoutesConfig)} maps it to a JSON body {@code {"error": reason}}, or to the given
 * HTML page for browsers' page loads.
 */
public final class RequestRefused extends RuntimeException {
    private final int status;
    private final Map<String, String> headers;
    private final String html;

    public RequestRefused(int status, String reason) {
        this(status, reason, Map.of(), null);
    }

    public RequestRefused(int status, String reason, Map<String, String> headers, String html) {
        super(reason, null, false, false);
        this.status = status;
        this.headers = Map.copyOf(headers);
        this.html = html;
    }

    public int status() {
        return status;
    }

    public static void install(RoutesConfig app) {
        app.exception(RequestRefused.class, (e, ctx) -> {
            ctx.status(e.status);
            e.headers.forEach(ctx::header);
            if (e.html != null) {
                ctx.contentType("text/html; charset=utf-8").result(e.html);
            } else {
                Answers.error(ctx, e.status, e.getMessage());
            }
        });
    }
}

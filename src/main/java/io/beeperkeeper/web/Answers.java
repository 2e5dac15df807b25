package io.beeperkeeper.web;

import io.javalin.http.Context;

import java.util.Map;

/**
 * The one shape of an error answer in the whole web layer: the right status and a JSON body
 * {@code {"error": "<reason, naming the fix>"}}, so the page and scripts read every refusal alike.
 */
public final class Answers {
    private Answers() {
    }

    public static void error(Context ctx, int status, String reason) {
        ctx.status(status).json(Map.of("error", reason));
    }
}

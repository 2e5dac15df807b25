package io.beeperkeeper.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;

import java.util.Optional;

/**
 * Reads a request's body as a JSON object with the hub's mapper (the one the web server was given),
 * so every adapter refuses a body that is not one alike: it gets nothing here and answers its own
 * 400 naming the shape it wants.
 */
public final class JsonBodies {
    private JsonBodies() {
    }

    /** The body when it is a JSON object; empty when it is not JSON, or JSON of another shape. */
    public static Optional<JsonNode> object(Context ctx) {
        JsonNode body;
        try {
            body = ctx.jsonMapper().fromJsonString(ctx.body(), JsonNode.class);
        } catch (Exception e) { // Jackson's parse errors pass through Javalin unchecked
            return Optional.empty();
        }
        return body != null && body.isObject() ? Optional.of(body) : Optional.empty();
    }
}

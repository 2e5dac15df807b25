package io.beeperkeeper.web.viewers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.beeperkeeper.viewers.ActiveViewer;
import io.beeperkeeper.viewers.ViewersFeature;
import io.beeperkeeper.web.RequestGuards;
import io.beeperkeeper.viewers.Presence;
import io.beeperkeeper.viewers.PresenceState;
import io.beeperkeeper.viewers.ViewerIdentity;
import io.beeperkeeper.web.Answers;
import io.beeperkeeper.web.JsonBodies;
import io.beeperkeeper.web.WebModule;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * "Who's viewing" over HTTP (the seed's endpoints): {@code POST /api/heartbeat}
 * ({@code {"state":"viewing"|"away","tab":"..."}}), {@code POST /api/user_left} (sent by the Beacon
 * API, so text/plain is accepted there), {@code GET /api/active_users} and {@code GET /api/whoami}.
 * A heartbeat from a tab that has sent user_left is refused with 410 and does not count.
 */
public final class ViewersWebModule implements WebModule {
    /** The Beacon API sends strings as text/plain: the guard must let that through on this path. */
    public static final String USER_LEFT_PATH = "/api/user_left";

    private final Presence presence;
    private final IdentityGate gate;

    public ViewersWebModule(Presence presence, IdentityGate gate) {
        this.presence = presence;
        this.gate = gate;
    }

    @Override
    public void register(RoutesConfig app) {
        app.post("/api/heartbeat", this::heartbeat);
        app.post(USER_LEFT_PATH, this::userLeft);
        app.get("/api/active_users", ctx -> {
            gate.require(ctx);
            ctx.header("Cache-Control", "no-store").json(activeUsers(presence.active()));
        });
        app.get("/api/whoami", ctx -> {
            ViewerIdentity me = gate.require(ctx);
            ctx.header("Cache-Control", "no-store").json(Map.of("name", me.name(), "source", me.source().name().toLowerCase()));
        });
    }

    /** The JSON shape of the list, also pushed as the {@code presence} event. */
    public static Map<String, Object> activeUsers(List<ActiveViewer> viewers) {
        return ViewersFeature.activeUsers(viewers);
    }

    /** The Beacon API posts user_left as text/plain. */
    @Override
    public RequestGuards guards(RequestGuards guards) {
        return guards.allow(USER_LEFT_PATH, RequestGuards.DEFAULT_MAX_BYTES, "text/plain");
    }

    private void heartbeat(Context ctx) {
        ViewerIdentity me = gate.require(ctx);
        Optional<JsonNode> parsed = JsonBodies.object(ctx);
        if (parsed.isEmpty()) {
            badRequest(ctx, "send a JSON object such as {\"state\":\"viewing\"}");
            return;
        }
        JsonNode body = parsed.get();
        Optional<PresenceState> state = PresenceState.fromWire(body.path("state").asText(null));
        if (state.isEmpty()) {
            badRequest(ctx, "state must be \"viewing\" or \"away\"");
            return;
        }
        Optional<String> tab = tab(body);
        if (tab.isEmpty()) {
            badRequest(ctx, "tab must be 1-64 letters, digits, '-' or '_'");
            return;
        }
        switch (presence.heartbeat(me.name(), tab.get(), state.get())) {
            case COUNTED -> ctx.json(Map.of("name", me.name(), "state", state.get().wireName()));
            case FULL -> Answers.error(ctx, 503, "too many viewers at once; try again later");
            case TAB_LEFT -> Answers.error(ctx, 410, "this tab has left the page (user_left); send heartbeats with a new tab id to be counted again");
        }
    }

    private void userLeft(Context ctx) {
        ViewerIdentity me = gate.require(ctx);
        Optional<JsonNode> body = ctx.body().isBlank() ? Optional.of(JsonNodeFactory.instance.objectNode()) : JsonBodies.object(ctx);
        Optional<String> tab = body.flatMap(ViewersWebModule::tab);
        if (tab.isEmpty()) {
            badRequest(ctx, "send {\"tab\":\"...\"} or an empty body");
            return;
        }
        presence.left(me.name(), tab.get());
        ctx.status(204);
    }

    private static Optional<String> tab(JsonNode body) {
        JsonNode t = body.get("tab");
        if (t == null || t.isNull()) {
            return Optional.of(Presence.UNNAMED_TAB);
        }
        String s = t.asText("");
        return t.isTextual() && s.matches("[A-Za-z0-9_-]{1,64}") ? Optional.of(s) : Optional.empty();
    }

    private static void badRequest(Context ctx, String reason) {
        Answers.error(ctx, 400, reason);
    }
}

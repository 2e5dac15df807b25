package io.beeperkeeper.web.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.beeperkeeper.chat.ChatMessage;
import io.beeperkeeper.chat.ChatService;
import io.beeperkeeper.chat.SendResult;
import io.beeperkeeper.viewers.ViewerIdentity;
import io.beeperkeeper.web.Answers;
import io.beeperkeeper.web.JsonBodies;
import io.beeperkeeper.web.WebModule;
import io.beeperkeeper.web.viewers.IdentityGate;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Chat over HTTP (the seed's endpoints): {@code POST /api/chat/send} with {@code {"message":"..."}}
 * (400 with the reason, 429 with Retry-After, 503 while messages cannot be stored) and {@code GET /api/chat/messages?since=<id>}. New
 * messages reach pages through the SSE stream; this GET is for the first load and the polling fallback.
 */
public final class ChatWebModule implements WebModule {
    private static final long UNAVAILABLE_RETRY_SECONDS = 30;
    private final Supplier<ChatService> chat;
    private final IdentityGate gate;

    public ChatWebModule(ChatService chat, IdentityGate gate) {
        this(() -> chat, gate);
    }

    /** @param chat the chat once it has started (the hub's routes exist before its parts are up) */
    public ChatWebModule(Supplier<ChatService> chat, IdentityGate gate) {
        this.chat = chat;
        this.gate = gate;
    }

    @Override
    public void register(RoutesConfig app) {
        app.post("/api/chat/send", this::send);
        app.get("/api/chat/messages", this::messages);
    }

    private void send(Context ctx) {
        ViewerIdentity me = gate.require(ctx);
        Optional<JsonNode> body = JsonBodies.object(ctx).filter(b -> b.path("message").isTextual());
        if (body.isEmpty()) {
            Answers.error(ctx, 400, "send a JSON object such as {\"message\":\"hello\"}");
            return;
        }
        SendResult r = chat.get().send(me.name(), body.get().get("message").asText());
        if (r instanceof SendResult.Sent s) {
            ctx.status(201).json(s.message());
        } else if (r instanceof SendResult.Invalid i) {
            Answers.error(ctx, 400, i.reason());
        } else if (r instanceof SendResult.RateLimited l) {
            long seconds = Math.max(1, (l.retryAfter().toMillis() + 999) / 1000);
            ctx.status(429).header("Retry-After", Long.toString(seconds))
                    .json(Map.of("error", "too many messages; wait " + seconds + " s", "retryAfter", seconds));
        } else if (r instanceof SendResult.Unavailable) {
            ctx.status(503).header("Retry-After", Long.toString(UNAVAILABLE_RETRY_SECONDS))
                    .json(Map.of("error", "chat cannot store messages right now (is the hub's disk full?); try again later",
                            "retryAfter", UNAVAILABLE_RETRY_SECONDS));
        }
    }

    private void messages(Context ctx) {
        gate.require(ctx);
        String since = ctx.queryParam("since");
        long after = 0;
        if (since != null && !since.isBlank()) {
            try {
                after = Long.parseLong(since.trim());
            } catch (NumberFormatException e) {
                Answers.error(ctx, 400, "since must be a message id (a whole number)");
                return;
            }
        }
        List<ChatMessage> list = chat.get().messages(after);
        ctx.header("Cache-Control", "no-store").json(Map.of("messages", list));
    }
}

package io.beeperkeeper.chat;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The chat: checks a message's text and the sender's rate, stores it, and hands it to the listener
 * (the hub pushes it to every open page).
 */
public final class ChatService {
    public static final int PAGE = 50;

    private final ChatStore store;
    private final ChatRateLimiter limiter;
    private final Clock clock;
    private final Consumer<ChatMessage> onMessage;
    /** Why the last message could not be stored, until one is stored again. */
    private volatile String storeProblem;

    public ChatService(ChatStore store, ChatRateLimiter limiter, Clock clock, Consumer<ChatMessage> onMessage) {
        this.store = store;
        this.limiter = limiter;
        this.clock = clock;
        this.onMessage = onMessage;
    }

    public SendResult send(String username, String rawText) {
        if (rawText == null) {
            return new SendResult.Invalid("message is missing");
        }
        String text = ChatText.clean(rawText);
        var problem = ChatText.problem(text);
        if (problem.isPresent()) {
            return new SendResult.Invalid(problem.get());
        }
        var wait = limiter.tryAcquire(username);
        if (wait.isPresent()) {
            return new SendResult.RateLimited(wait.get());
        }
        ChatMessage m;
        try {
            m = store.append(username, text, clock.instant().getEpochSecond());
        } catch (ChatStoreException e) {
            storeProblem = e.getMessage();
            return new SendResult.Unavailable(e.getMessage());
        }
        storeProblem = null;
        onMessage.accept(m);
        return new SendResult.Sent(m);
    }

    /** Why messages cannot be stored right now (the last send failed), for health. */
    public Optional<String> storeProblem() {
        return Optional.ofNullable(storeProblem);
    }

    /** The last 50 messages, or the newest 50 after {@code sinceId}; oldest first. */
    public List<ChatMessage> messages(long sinceId) {
        return store.newest(Math.max(0, sinceId), PAGE);
    }
}

package io.beeperkeeper.chat;

import java.time.Duration;

/** The outcome of sending a chat message. */
public sealed interface SendResult {
    record Sent(ChatMessage message) implements SendResult {
    }

    /** The text broke a rule; {@code reason} says which. */
    record Invalid(String reason) implements SendResult {
    }

    /** The user sent too many messages; try again after {@code retryAfter}. */
    record RateLimited(Duration retryAfter) implements SendResult {
    }

    /** The message could not be stored (the hub's disk is full, its database unusable); {@code reason} says why. */
    record Unavailable(String reason) implements SendResult {
    }
}

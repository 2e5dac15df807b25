package io.beeperkeeper.chat;

/** One stored chat message; {@code timestamp} is in epoch seconds, {@code id} grows with every message. */
public record ChatMessage(long id, String username, String message, long timestamp) {
}

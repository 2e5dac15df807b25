package io.beeperkeeper.config;

/**
 * Chat limits: each user may send {@code rateLimitMessages} messages per {@code rateLimitSeconds},
 * and the database keeps the newest {@code historyLimit} messages.
 */
public record ChatConfig(int rateLimitMessages, int rateLimitSeconds, int historyLimit) {
    public ChatConfig {
        ConfigException.require(rateLimitMessages >= 1 && rateLimitMessages <= 1000, "chat.rateLimitMessages", rateLimitMessages,
                "a whole number of messages from 1 to 1000");
        ConfigException.require(rateLimitSeconds >= 1 && rateLimitSeconds <= 3600, "chat.rateLimitSeconds", rateLimitSeconds,
                "a whole number of seconds from 1 to 3600");
        ConfigException.require(historyLimit >= 50 && historyLimit <= 1_000_000, "chat.historyLimit", historyLimit,
                "a whole number of messages from 50 to 1000000");
    }

    public static ChatConfig defaults() {
        return new ChatConfig(5, 10, 1000);
    }
}

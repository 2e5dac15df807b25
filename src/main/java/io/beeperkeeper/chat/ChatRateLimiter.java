package io.beeperkeeper.chat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * At most {@code max} messages per user in any sliding {@code window}. Users with no message in the
 * window are forgotten, so memory is bounded by the number of recent senders.
 */
public final class ChatRateLimiter {
    private final Clock clock;
    private final int max;
    private final Duration window;
    private final Map<String, ArrayDeque<Instant>> sent = new HashMap<>();

    public ChatRateLimiter(Clock clock, int max, Duration window) {
        this.clock = clock;
        this.max = max;
        this.window = window;
    }

    /** Takes a slot for the user; when none is free, how long until one is. */
    public synchronized Optional<Duration> tryAcquire(String user) {
        Instant now = clock.instant();
        Instant cutoff = now.minus(window);
        if (sent.size() > 64) {
            sent.values().removeIf(q -> !q.peekLast().isAfter(cutoff));
        }
        ArrayDeque<Instant> times = sent.computeIfAbsent(user, u -> new ArrayDeque<>());
        while (!times.isEmpty() && !times.peekFirst().isAfter(cutoff)) {
            times.pollFirst();
        }
        if (times.size() >= max) {
            return Optional.of(Duration.between(cutoff, times.peekFirst()));
        }
        times.addLast(now);
        return Optional.empty();
    }
}

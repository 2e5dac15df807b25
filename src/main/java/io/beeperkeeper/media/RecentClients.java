package io.beeperkeeper.media;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Who is watching a pull output (LL-HLS), which has no connection to count: a client counts as a
 * viewer while its playlist requests keep coming, within {@link #WINDOW_SECONDS} of the last one
 * (LL-HLS players reload at every part, plain HLS players at least once a segment). Bounded: beyond
 * {@link #MAX_CLIENTS} the oldest are forgotten first, so a flood of made-up clients costs no memory.
 */
public final class RecentClients {
    static final long WINDOW_SECONDS = 15;
    static final int MAX_CLIENTS = 1000;

    private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();
    private final LongSupplier nanos;

    public RecentClients() {
        this(System::nanoTime);
    }

    /** @param nanos a monotonic clock in nanoseconds */
    RecentClients(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /** Notes a request from this client (its address and player, as the web adapter sees them). */
    public void seen(String client) {
        long now = nanos.getAsLong();
        lastSeen.put(client, now);
        if (lastSeen.size() > MAX_CLIENTS) {
            forget(now);
            while (lastSeen.size() > MAX_CLIENTS) {
                lastSeen.entrySet().stream().min(Map.Entry.comparingByValue())
                        .ifPresent(e -> lastSeen.remove(e.getKey(), e.getValue()));
            }
        }
    }

    /** Clients that asked within the window. */
    public int count() {
        forget(nanos.getAsLong());
        return lastSeen.size();
    }

    private void forget(long now) {
        long window = WINDOW_SECONDS * 1_000_000_000L;
        lastSeen.values().removeIf(t -> now - t > window);
    }
}

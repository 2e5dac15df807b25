package io.beeperkeeper.media;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * How fast one client address may open new viewer connections: a token bucket per address holding
 * {@code perSecond} tokens, refilled at {@code perSecond} a second. A page opens one connection per
 * camera, so a household never notices; a script opening hundreds a second is refused (429) before it
 * costs a socket, a subscription or a thread. Memory is bounded: at most {@link #MAX_ADDRESSES}
 * addresses are remembered, and a full bucket is forgotten first.
 */
final class ConnectRate {
    static final int MAX_ADDRESSES = 10_000;

    private final int perSecond;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new HashMap<>();

    private static final class Bucket {
        double tokens;
        long atMs;
    }

    public ConnectRate(int perSecond, Clock clock) {
        this.perSecond = perSecond;
        this.clock = clock;
    }

    /** Takes one token for a new connection from {@code address}; false when it has none left. */
    public synchronized boolean allow(String address) {
        long now = clock.millis();
        Bucket b = buckets.get(address);
        if (b == null) {
            if (buckets.size() >= MAX_ADDRESSES) {
                forgetFull(now);
            }
            b = new Bucket();
            b.tokens = perSecond;
            b.atMs = now;
            buckets.put(address, b);
        }
        b.tokens = Math.min(perSecond, b.tokens + Math.max(0, now - b.atMs) * perSecond / 1000.0);
        b.atMs = now;
        if (b.tokens < 1) {
            return false;
        }
        b.tokens -= 1;
        return true;
    }

    private void forgetFull(long now) {
        buckets.values().removeIf(b -> b.tokens + (now - b.atMs) * perSecond / 1000.0 >= perSecond);
        if (buckets.size() >= MAX_ADDRESSES) {
            buckets.clear(); // a flood of addresses: start over rather than grow
        }
    }
}

package io.beeperkeeper.telemetry;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hub's own readings on their way through the broker: the hub hands each to its listeners itself
 * (history, page, alerts need not wait for the broker), so the copy the broker sends back on the hub's
 * subscription is recognised by its topic and exact payload and skipped, and each reading counts once.
 * Anyone else's message on the same topic (a real sensor, another program) differs in its payload and
 * goes through. Bounded: when copies never come back (the broker dropped them), the oldest are forgotten.
 */
final class OwnEchoes {
    private record Key(String topic, ByteBuffer payload) {
    }

    private final int capacity;
    private final Map<Key, Integer> waiting = new LinkedHashMap<>();

    OwnEchoes(int capacity) {
        this.capacity = capacity;
    }

    /** A copy of this message is to come back from the broker. */
    synchronized void expect(String topic, byte[] payload) {
        waiting.merge(new Key(topic, ByteBuffer.wrap(payload.clone())), 1, Integer::sum);
        if (waiting.size() > capacity) {
            Iterator<Key> oldest = waiting.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** True (and forgotten) if this message is a copy the hub expected back; false for anyone else's. */
    synchronized boolean take(String topic, byte[] payload) {
        Key k = new Key(topic, ByteBuffer.wrap(payload));
        Integer n = waiting.get(k);
        if (n == null) {
            return false;
        }
        if (n == 1) {
            waiting.remove(k);
        } else {
            waiting.put(k, n - 1);
        }
        return true;
    }

    synchronized int size() {
        return waiting.size();
    }
}

package io.beeperkeeper.telemetry;

import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The embedded broker's per-client publish limit: each client may publish {@code perSecond} messages a
 * second on average, with bursts of five seconds' worth (a node's disk queue replays in bursts). Beyond
 * that its messages are not accepted (a QoS 1 publisher gets no acknowledgement and sends again later),
 * so one flooding client cannot crowd out the others. The hub's own connections are trusted. Moquette
 * asks this policy about every PUBLISH ({@link #canWrite}); its interceptors can only watch.
 * Refusals are counted per client (at most {@link #MAX_CLIENTS} remembered) and logged once a minute
 * per client.
 */
final class BrokerGuard implements IAuthorizatorPolicy {
    private static final Logger log = LoggerFactory.getLogger(BrokerGuard.class);
    static final int MAX_CLIENTS = 1000;
    private static final String OTHERS = "(other clients)";

    private final double perSecond;
    private final double burst;
    private final Clock clock;
    private final Set<String> trusted = ConcurrentHashMap.newKeySet();
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> refusedByClient = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong acceptedReadings = new AtomicLong();
    private volatile String readingPrefix;
    private final ThrottledLog refusalLog;

    /** @param perSecond 0 for no limit */
    BrokerGuard(double perSecond, Clock clock) {
        this.perSecond = perSecond;
        this.burst = perSecond * 5;
        this.clock = clock;
        this.refusalLog = new ThrottledLog(log, clock, Duration.ofMinutes(1), MAX_CLIENTS);
    }

    /** A client id of the hub's own, never limited. */
    void trust(String clientId) {
        trusted.add(clientId);
    }

    /** Counts the accepted messages on reading topics under {@code prefix}, to compare with what the hub got. */
    void countReadingsUnder(String prefix) {
        readingPrefix = prefix;
    }

    @Override
    public boolean canWrite(Topic topic, String user, String client) {
        boolean ok = allowed(topic, client);
        if (ok) {
            accepted(topic.toString());
        }
        return ok;
    }

    /** A message the broker takes for delivery (from a client, or from the hub inside the process). */
    void accepted(String topic) {
        String prefix = readingPrefix;
        if (prefix != null && TelemetrySubscriber.readingTopic(prefix, topic) != null) {
            acceptedReadings.incrementAndGet();
        }
    }

    /** Messages on reading topics the broker accepted (see {@link #countReadingsUnder}). */
    long acceptedReadings() {
        return acceptedReadings.get();
    }

    private boolean allowed(Topic topic, String client) {
        if (perSecond <= 0 || client == null || trusted.contains(client)) {
            return true;
        }
        String key = buckets.containsKey(client) || buckets.size() < MAX_CLIENTS ? client : OTHERS;
        Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(burst, clock.millis()));
        if (b.take(perSecond, burst, clock.millis())) {
            return true;
        }
        refused.incrementAndGet();
        long n = refusedByClient.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
        refusalLog.warn(client, "MQTT client {} publishes faster than {} messages/s (mqtt.clientMessagesPerSecond): message on {} not accepted [{} so far]",
                (long) perSecond, topic, n);
        return false;
    }

    @Override
    public boolean canRead(Topic topic, String user, String client) {
        return true;
    }

    /** Messages not accepted, all clients together. */
    long refused() {
        return refused.get();
    }

    /** For health: the total and the clients refused most. */
    String summary() {
        if (refused.get() == 0) {
            return "no client over " + (long) perSecond + " messages/s";
        }
        String top = refusedByClient.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, AtomicLong> e) -> e.getValue().get()).reversed())
                .limit(3).map(e -> e.getKey() + " " + e.getValue().get()).collect(Collectors.joining(", "));
        return refused.get() + " messages over the per-client limit not accepted (" + top + ")";
    }

    /** A token bucket: {@code tokens} refill at the rate up to the burst. */
    private static final class Bucket {
        private double tokens;
        private long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        synchronized boolean take(double perSecond, double burst, long now) {
            tokens = Math.min(burst, tokens + Math.max(0, now - at) * perSecond / 1000.0);
            at = now;
            if (tokens >= 1) {
                tokens--;
                return true;
            }
            return false;
        }
    }
}

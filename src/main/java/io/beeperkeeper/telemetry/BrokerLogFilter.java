package io.beeperkeeper.telemetry;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the embedded broker's log readable under hostile input. Moquette logs a ~40-line stack trace
 * for every message it cannot decode (a payload over the 256 KB limit, garbage bytes) and an error
 * line for every PUBLISH the {@link BrokerGuard} refused. This filter turns the first into one line
 * per client at most once a minute, with a count, and drops the second (the guard logs and counts
 * those itself). Moquette also drops a PUBLISH when its session queue is full (a client sending QoS 0
 * faster than the broker routes) and says so only in a warning per message; this filter counts those
 * drops, so a flood's losses show in health and {@code /metrics}, and logs them once a minute. The
 * filter sees the whole logging context: with two embedded brokers in one JVM each counts both.
 * Everything else Moquette says passes untouched.
 */
final class BrokerLogFilter extends TurboFilter {
    private static final String HANDLER = "io.moquette.broker.NewNettyMQTTHandler";
    private static final String POST_OFFICE = "io.moquette.broker.PostOffice";
    private static final String SESSION_LOOPS = "io.moquette.broker.SessionEventLoopGroup";
    private static final org.slf4j.Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final AtomicLong undecodable = new AtomicLong();
    private final AtomicLong queueFull = new AtomicLong();
    private final AtomicLong deliveryQueueFull = new AtomicLong();
    private final ThrottledLog throttled;

    BrokerLogFilter(Clock clock) {
        this.throttled = new ThrottledLog(log, clock, Duration.ofMinutes(1), 1000);
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (format == null || logger == null || level == null || !level.isGreaterOrEqual(Level.WARN)) {
            return FilterReply.NEUTRAL;
        }
        String name = logger.getName();
        if (name.equals(POST_OFFICE) && format.contains("is not authorized to publish")) {
            return FilterReply.DENY;
        }
        if (name.equals(SESSION_LOOPS) && format.startsWith("Session command queue") && format.contains("is full")) {
            String action = params != null && params.length > 1 ? String.valueOf(params[1]) : "?";
            // "batched PUB" is a message the broker had accepted, lost on its way to a subscriber's
            // session: counted apart, as the hub counts what it was sent and did not get on its own
            if (action.startsWith("batched PUB")) {
                long n = deliveryQueueFull.incrementAndGet();
                throttled.warn("delivery-queue-full", "the MQTT broker dropped a message on its way to a subscriber ({}): the subscriber's session queue is full [{} so far]",
                        action, n);
                return FilterReply.DENY;
            }
            if (action.startsWith("PUB")) {
                long n = queueFull.incrementAndGet();
                throttled.warn("queue-full", "the MQTT broker dropped a message ({}): its session queue is full because clients publish faster than it routes [{} so far]",
                        action, n);
                return FilterReply.DENY;
            }
            return FilterReply.NEUTRAL;
        }
        if (name.equals(HANDLER) && format.startsWith("Unexpected exception while processing MQTT message")) {
            Throwable cause = t != null ? t : params != null && params.length > 0 && params[params.length - 1] instanceof Throwable x ? x : null;
            String client = params != null && params.length > 0 && !(params[0] instanceof Throwable) ? String.valueOf(params[0]) : "?";
            long n = undecodable.incrementAndGet();
            throttled.warn(client, "MQTT client {} sent a message the broker cannot decode ({}); disconnected [{} so far]",
                    rootMessage(cause), n);
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }

    private static String rootMessage(Throwable t) {
        if (t == null) {
            return "no reason given";
        }
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        String m = r.getMessage() == null ? r.getClass().getSimpleName() : r.getMessage();
        return m.length() > 200 ? m.substring(0, 200) + "..." : m;
    }

    /** Messages the broker could not decode (oversized, garbage), all clients together. */
    long undecodable() {
        return undecodable.get();
    }

    /** PUBLISHes the broker dropped unrouted because its publisher's session queue was full. */
    long queueFull() {
        return queueFull.get();
    }

    /** Accepted PUBLISHes the broker dropped on their way to a subscriber whose session queue was full. */
    long deliveryQueueFull() {
        return deliveryQueueFull.get();
    }
}

package io.beeperkeeper.alerts;

import io.beeperkeeper.feature.Threads;
import io.beeperkeeper.health.ComponentHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands each alert event to every channel that wants it, each channel on its own thread: a failed
 * delivery is retried with backoff (1 s doubling, up to {@code attempts} tries), counted, and never
 * blocks the rules or the other channels. At most {@link #MAX_WAITING} deliveries wait per channel;
 * past that new ones are dropped and counted. Alerts from simulated figures never reach a channel that
 * notifies people. Outside the package only {@link Stats} is seen, through
 * {@link AlertsFeature#deliveries()}.
 */
public final class Dispatcher implements AlertSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    static final int MAX_WAITING = 200;

    /** What a channel did so far, for /api/health. */
    public record Stats(String name, long sent, long retries, long failed, long dropped, long skippedSimulated, String lastError) {
    }

    private final class Lane {
        final Channel channel;
        final ScheduledExecutorService exec;
        final AtomicInteger waiting = new AtomicInteger();
        final AtomicLong sent = new AtomicLong();
        final AtomicLong retries = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
        final AtomicLong skipped = new AtomicLong();
        volatile String lastError;

        Lane(Channel channel) {
            this.channel = channel;
            ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, Threads.daemon("alerts-" + channel.name()));
            e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            this.exec = e;
        }

        void offer(AlertEvent ev) {
            if (waiting.incrementAndGet() > MAX_WAITING) {
                waiting.decrementAndGet();
                dropped.incrementAndGet();
                return;
            }
            try {
                exec.execute(() -> attempt(ev, 1));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                waiting.decrementAndGet();
            }
        }

        void attempt(AlertEvent ev, int n) {
            try {
                channel.send(ev);
                sent.incrementAndGet();
                waiting.decrementAndGet();
            } catch (Exception e) {
                lastError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                if (n >= attempts) {
                    failed.incrementAndGet();
                    waiting.decrementAndGet();
                    log.warn("alert {} for {} not delivered by {} after {} tries: {}", ev.type().label(), ev.alert().id(),
                            channel.name(), n, lastError);
                    return;
                }
                retries.incrementAndGet();
                long delay = Math.min(firstRetry.toMillis() << (n - 1), 60_000);
                try {
                    exec.schedule(() -> attempt(ev, n + 1), delay, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    waiting.decrementAndGet();
                }
            }
        }

        Stats stats() {
            return new Stats(channel.name(), sent.get(), retries.get(), failed.get(), dropped.get(), skipped.get(), lastError);
        }
    }

    private final List<Lane> lanes = new ArrayList<>();
    private final int attempts;
    private final Duration firstRetry;

    /** @param attempts tries per delivery (1 = no retry); @param firstRetry the first wait, doubling */
    Dispatcher(List<Channel> channels, int attempts, Duration firstRetry) {
        this.attempts = attempts;
        this.firstRetry = firstRetry;
        for (Channel c : channels) {
            lanes.add(new Lane(c));
        }
    }

    @Override
    public void accept(AlertEvent e) {
        for (Lane l : lanes) {
            if (!l.channel.wants(e)) {
                continue;
            }
            if (e.alert().simulated() && l.channel.notifies()) {
                l.skipped.incrementAndGet();
                continue;
            }
            l.offer(e);
        }
    }

    List<Stats> stats() {
        return lanes.stream().map(Lane::stats).toList();
    }

    /** One health entry per channel: up, or degraded with the last error once a delivery gave up. */
    static ComponentHealth health(Stats s) {
        String counts = s.sent() + " sent, " + s.retries() + " retries, " + s.failed() + " failed"
                + (s.dropped() > 0 ? ", " + s.dropped() + " dropped" : "")
                + (s.skippedSimulated() > 0 ? ", " + s.skippedSimulated() + " not sent (simulated)" : "");
        if (s.failed() > 0 && s.lastError() != null) {
            return ComponentHealth.degraded(counts + "; last error: " + s.lastError());
        }
        return ComponentHealth.up(counts);
    }

    @Override
    public void close() {
        for (Lane l : lanes) {
            l.exec.shutdown();
        }
        for (Lane l : lanes) {
            try {
                if (!l.exec.awaitTermination(2, TimeUnit.SECONDS)) {
                    l.exec.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                l.exec.shutdownNow();
            }
        }
    }
}

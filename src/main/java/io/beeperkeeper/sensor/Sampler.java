package io.beeperkeeper.sensor;

import io.beeperkeeper.health.ComponentHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Polls every {@link ReadingSource} at a fixed interval on one thread and hands the readings to the
 * sink. A source that fails is marked degraded (logged once per change) and polled again next time.
 */
final class Sampler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Sampler.class);

    private final List<ReadingSource> sources;
    private final ReadingSink sink;
    private final Clock clock;
    private final long intervalMillis;
    private final Map<String, String> failures = new ConcurrentHashMap<>();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            io.beeperkeeper.feature.Threads.daemon("sensor-sampler"));

    public Sampler(List<ReadingSource> sources, ReadingSink sink, Clock clock, double intervalSeconds) {
        this.sources = List.copyOf(sources);
        this.sink = sink;
        this.clock = clock;
        this.intervalMillis = Math.round(intervalSeconds * 1000);
    }

    public void start() {
        executor.scheduleAtFixedRate(this::pollAll, 0, intervalMillis, TimeUnit.MILLISECONDS);
        log.info("sensors started: {} every {} ms", sources.stream().map(ReadingSource::name).toList(), intervalMillis);
    }

    /** One round over all sources; public so tests can drive it without the timer. */
    public void pollAll() {
        for (ReadingSource source : sources) {
            try {
                for (Reading r : source.poll(clock.instant())) {
                    sink.accept(r);
                }
                if (failures.remove(source.name()) != null) {
                    log.info("sensor {} reads again", source.name());
                }
            } catch (Exception e) {
                String reason = e.getMessage() == null ? e.toString() : e.getMessage();
                if (!reason.equals(failures.put(source.name(), reason))) {
                    log.warn("sensor {} failed: {}", source.name(), reason);
                }
            }
        }
    }

    public ComponentHealth health() {
        if (failures.isEmpty()) {
            return ComponentHealth.up(String.join(", ", sources.stream().map(ReadingSource::name).toList()));
        }
        return ComponentHealth.degraded("failing: " + failures);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}

package io.beeperkeeper.feature;

import io.beeperkeeper.health.HealthCheck;
import io.beeperkeeper.metric.MetricListener;

import java.util.List;

/**
 * The one shape every part of the hub has (telemetry, sensors, history, media, WebRTC, viewers, chat,
 * and each feature added later), so {@code App} can build them as a list and walk it.
 *
 * <ul>
 *   <li><b>Constructor</b>: takes the feature's settings and the interfaces it needs from other
 *       features. It validates, but does no I/O and starts no thread, so building the hub never leaves
 *       half of it running.</li>
 *   <li>{@link #start()}: brings the feature up, in list order: opens files, binds ports, starts
 *       threads and processes. It throws {@link io.beeperkeeper.StartupException} only for what the
 *       keeper must fix (a port in use, a folder that cannot be written). Expected failures (no
 *       hardware, a camera that dies, a broker that is away) are states in {@link #health()}.</li>
 *   <li>{@link #close()}: takes it down, in reverse list order. Idempotent, never throws, and safe to
 *       call when {@code start()} failed half-way or never ran.</li>
 *   <li>{@link #health()}: the entries this feature adds to {@code /api/health}, registered before
 *       {@code start()} so a feature that is still coming up is shown as such.</li>
 *   <li>{@link #listeners()}: what it listens to: every {@link io.beeperkeeper.metric.MetricSample} the
 *       hub accepts is handed to these (on the MQTT thread: return quickly, never throw).</li>
 * </ul>
 * Web routes are not part of this interface, because domain packages never see the HTTP library: each
 * feature's adapter lives in {@code web/<feature>} and is paired with the feature in {@code App}.
 */
public interface Feature extends AutoCloseable {
    /** A short name for logs ("history", "media"). */
    String name();

    void start();

    @Override
    void close();

    default List<HealthCheck> health() {
        return List.of();
    }

    default List<MetricListener> listeners() {
        return List.of();
    }
}

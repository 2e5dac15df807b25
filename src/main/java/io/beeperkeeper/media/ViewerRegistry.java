package io.beeperkeeper.media;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is watching each camera over a push output (MSE over WebSocket): a viewer counts only while its
 * connection is open, so connections that close at once never fill {@code media.maxViewers}; a viewer
 * whose connection has accepted nothing for {@code media.writeDeadlineSeconds} is disconnected by
 * {@link #sweep}. Keys are the transport's connection objects; the registry never sees the transport.
 */
public final class ViewerRegistry {
    private static final Logger log = LoggerFactory.getLogger(ViewerRegistry.class);

    /** One viewer as the registry sees it. */
    public interface Viewer {
        String camera();

        boolean isOpen();

        /** True when a write has been pending longer than the deadline (the viewer stopped reading). */
        boolean overdue(long deadlineNanos);

        /** Stops feeding the viewer (its subscription) without touching the connection. */
        void close();

        /** Closes the connection as well. */
        void disconnect();
    }

    private final Map<Object, Viewer> viewers = new ConcurrentHashMap<>();

    public void put(Object connection, Viewer viewer) {
        viewers.put(connection, viewer);
    }

    /** Forgets a connection's viewer and stops feeding it; harmless for one already gone. */
    public Optional<Viewer> remove(Object connection) {
        Viewer v = viewers.remove(connection);
        if (v != null) {
            v.close();
        }
        return Optional.ofNullable(v);
    }

    /** Viewers of a camera whose connection is open right now. */
    public int count(String camera) {
        return (int) viewers.values().stream().filter(v -> v.camera().equals(camera) && v.isOpen()).count();
    }

    /** Disconnects the viewers that read nothing for the deadline. */
    void sweep(long deadlineNanos, double deadlineSeconds) {
        for (Map.Entry<Object, Viewer> e : List.copyOf(viewers.entrySet())) {
            if (e.getValue().overdue(deadlineNanos)) {
                log.info("camera {}: disconnecting a viewer that read nothing for {} s", e.getValue().camera(), deadlineSeconds);
                remove(e.getKey());
                try {
                    e.getValue().disconnect();
                } catch (RuntimeException ex) {
                    log.debug("disconnect failed: {}", ex.toString());
                }
            }
        }
    }

    void closeAll() {
        List.copyOf(viewers.keySet()).forEach(this::remove);
    }
}

package io.beeperkeeper.feature;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Remembers what a feature opened and closes it in reverse order, logging (never throwing) what fails
 * to close, so one stuck part cannot keep the rest of the hub from shutting down.
 */
public final class Closer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Closer.class);

    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    /** Registers {@code c} to be closed, and returns it. */
    public synchronized <T extends AutoCloseable> T own(T c) {
        open.push(c);
        return c;
    }

    @Override
    public void close() {
        while (true) {
            AutoCloseable c;
            synchronized (this) {
                c = open.poll();
            }
            if (c == null) {
                return;
            }
            try {
                c.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }
}

package io.beeperkeeper.alerts;

/** Where the engine hands its events (page, history, channels). Must not block: queue and return. */
@FunctionalInterface
interface AlertSink {
    AlertSink NONE = e -> { };

    void accept(AlertEvent event);
}

package io.beeperkeeper.sensor;

/** Where readings go (the MQTT publisher). Must not block for long and must not throw. */
@FunctionalInterface
public interface ReadingSink {
    void accept(Reading reading);

    /**
     * Told once the sensors are chosen: the kinds of reading this node will send (hardware found, or
     * simulated), so the sink announces only those (Home Assistant discovery) and withdraws the rest.
     */
    default void present(java.util.Set<ReadingKind> kinds) {
    }
}

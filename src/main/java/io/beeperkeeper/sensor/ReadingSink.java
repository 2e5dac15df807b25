package io.beeperkeeper.sensor;

/** Where readings go (the MQTT publisher). Must not block for long and must not throw. */
@FunctionalInterface
public interface ReadingSink {
    void accept(Reading reading);
}

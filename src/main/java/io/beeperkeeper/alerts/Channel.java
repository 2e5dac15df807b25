package io.beeperkeeper.alerts;

/**
 * One way of telling the keeper (webhook, ntfy, MQTT, e-mail) or of keeping a record (history).
 * {@link #send} may block and throw: the {@link Dispatcher} calls it on the channel's own thread and
 * retries with backoff, so a slow or dead server never holds up the rules.
 */
interface Channel {
    /** A short name for health and logs ("webhook", "ntfy"). */
    String name();

    /** Whether this event is for this channel (push channels: only {@link AlertEvent#push()} ones). */
    default boolean wants(AlertEvent e) {
        return e.push();
    }

    /**
     * Whether the channel tells people, so never carries alerts from simulated figures. The history
     * keeps them (marked) and says false.
     */
    default boolean notifies() {
        return true;
    }

    void send(AlertEvent e) throws Exception;
}

package io.beeperkeeper.alerts;

import java.time.Instant;

/**
 * A change the keeper may be told about. {@code push} says whether the push channels (webhook,
 * ntfy, e-mail) should carry it: false for changes nobody needs to be woken for (quiet hours, an
 * acknowledgement, a pending rule that cleared). The page, the MQTT state and the history get every event.
 */
record AlertEvent(Type type, AlertView alert, boolean push, Instant at, String episode) {
    public enum Type {
        PENDING, FIRING, REMINDER, ESCALATED, RESOLVED, ACKNOWLEDGED, CANCELLED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}

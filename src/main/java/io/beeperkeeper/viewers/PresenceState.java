package io.beeperkeeper.viewers;

import java.util.Locale;
import java.util.Optional;

/** How present a viewer is. Offline viewers are simply absent from the list. */
public enum PresenceState {
    VIEWING, AWAY;

    /** The lower-case name used in JSON ("viewing", "away"). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<PresenceState> fromWire(String s) {
        if ("viewing".equals(s)) {
            return Optional.of(VIEWING);
        }
        if ("away".equals(s)) {
            return Optional.of(AWAY);
        }
        return Optional.empty();
    }
}

package io.beeperkeeper.recordings;

import java.util.Locale;
import java.util.Optional;

/** What started a clip: a motion event, an alert firing, or a "record" click on the page. */
public enum ClipKind {
    MOTION, ALERT, MANUAL;

    /** As in the API and the index: {@code motion}, {@code alert}, {@code manual}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ClipKind> fromLabel(String label) {
        for (ClipKind k : values()) {
            if (k.label().equals(label)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}

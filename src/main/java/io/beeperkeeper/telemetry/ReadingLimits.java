package io.beeperkeeper.telemetry;

import java.time.Duration;

/**
 * When a reading's timestamp is believed: at most {@code maxAhead} ahead of the hub's clock (nodes
 * keep time by NTP; a value from the future would freeze the page on it) and at most {@code maxAge}
 * old, the disk queue's retention (older readings are neither replayed from the queue nor accepted).
 */
record ReadingLimits(Duration maxAhead, Duration maxAge) {
    public static final Duration DEFAULT_MAX_AHEAD = Duration.ofSeconds(60);

    public ReadingLimits {
        if (maxAhead.isNegative() || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("reading limits must be positive");
        }
    }

    /** The default skew and a retention of {@code maxAgeHours}. */
    public static ReadingLimits ofHours(int maxAgeHours) {
        return new ReadingLimits(DEFAULT_MAX_AHEAD, Duration.ofHours(maxAgeHours));
    }
}

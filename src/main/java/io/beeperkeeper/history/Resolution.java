package io.beeperkeeper.history;

/**
 * The tiers the store keeps: every sample, and 1-minute and 1-hour rollups (min, max, sum, count).
 * A query uses the coarsest tier that still gives about the number of points asked for.
 */
public enum Resolution {
    RAW("raw", 0),
    MINUTE("1m", 60_000L),
    HOUR("1h", 3_600_000L);

    private final String label;
    private final long millis;

    Resolution(String label, long millis) {
        this.label = label;
        this.millis = millis;
    }

    public String label() {
        return label;
    }

    /** Bucket length in milliseconds; 0 for raw samples. */
    public long millis() {
        return millis;
    }
}

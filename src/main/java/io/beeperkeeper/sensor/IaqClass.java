package io.beeperkeeper.sensor;

/** Bosch's indoor-air-quality classes for an IAQ index 0-500. */
public enum IaqClass {
    EXCELLENT("Excellent", 50),
    GOOD("Good", 100),
    LIGHTLY_POLLUTED("Lightly polluted", 150),
    MODERATELY_POLLUTED("Moderately polluted", 200),
    HEAVILY_POLLUTED("Heavily polluted", 250),
    SEVERELY_POLLUTED("Severely polluted", 350),
    EXTREMELY_POLLUTED("Extremely polluted", Integer.MAX_VALUE);

    private final String label;
    private final int upperBound;

    IaqClass(String label, int upperBound) {
        this.label = label;
        this.upperBound = upperBound;
    }

    public String label() {
        return label;
    }

    /** Class of an IAQ value; the bounds are inclusive on whole numbers (50 is Excellent, 51 Good). */
    public static IaqClass of(double iaq) {
        long rounded = Math.round(iaq);
        for (IaqClass c : values()) {
            if (rounded <= c.upperBound) {
                return c;
            }
        }
        return EXTREMELY_POLLUTED;
    }
}

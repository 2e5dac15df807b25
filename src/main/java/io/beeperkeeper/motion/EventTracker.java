package io.beeperkeeper.motion;

/**
 * Turns one camera's scored pictures into events: motion must go on for {@code minSeconds} (gaps of
 * up to a second forgiven, a noisy picture may miss one) before an event starts, dated from its first
 * picture with motion; the event ends once {@code endSeconds} pass without motion, dated at its last
 * picture with motion. Times are the camera's stream clock, so a busy hub that reads pictures late
 * still dates them right.
 */
final class EventTracker {
    private static final long PENDING_GAP_US = 1_000_000;

    /** What a picture changed. */
    enum Change { NONE, STARTED, ENDED }

    private final long minUs;
    private final long endUs;
    private boolean active;
    private long firstUs = -1;
    private long lastUs = -1;
    private double peak;
    private String zone = "";
    private double zonePeak;

    EventTracker(double minSeconds, double endSeconds) {
        this.minUs = Math.round(minSeconds * 1e6);
        this.endUs = Math.round(endSeconds * 1e6);
    }

    /**
     * @param moving whether this picture showed enough motion ({@code score >= minArea})
     */
    Change observe(long timeUs, boolean moving, double score, String zoneName) {
        if (moving) {
            if (firstUs < 0 || (!active && timeUs - lastUs > PENDING_GAP_US)) {
                firstUs = timeUs;
                peak = 0;
                zonePeak = 0;
                zone = "";
            }
            lastUs = timeUs;
            peak = Math.max(peak, score);
            if (score >= zonePeak) {
                zonePeak = score;
                zone = zoneName;
            }
            if (!active && timeUs - firstUs >= minUs) {
                active = true;
                return Change.STARTED;
            }
            return Change.NONE;
        }
        if (active && timeUs - lastUs >= endUs) {
            active = false;
            firstUs = -1;
            return Change.ENDED;
        }
        if (!active && firstUs >= 0 && timeUs - lastUs > PENDING_GAP_US) {
            firstUs = -1;
        }
        return Change.NONE;
    }

    /** The camera stopped: an event going on ends at its last picture with motion. */
    Change interrupted() {
        boolean was = active;
        active = false;
        firstUs = -1;
        return was ? Change.ENDED : Change.NONE;
    }

    boolean active() {
        return active;
    }

    long startUs() {
        return firstUs;
    }

    long lastMotionUs() {
        return lastUs;
    }

    double peak() {
        return peak;
    }

    String zone() {
        return zone;
    }
}

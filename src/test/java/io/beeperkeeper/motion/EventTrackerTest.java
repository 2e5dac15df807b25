package io.beeperkeeper.motion;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Minimum duration before an event, hold-off before its end, dates from the stream clock. */
class EventTrackerTest {
    private static final long HALF = 500_000;

    @Test
    void motionMustLastMinSecondsAndTheEventIsDatedFromItsFirstPicture() {
        EventTracker t = new EventTracker(1.0, 3.0);
        assertThat(t.observe(0, true, 0.05, "")).isEqualTo(EventTracker.Change.NONE);
        assertThat(t.observe(HALF, true, 0.08, "")).isEqualTo(EventTracker.Change.NONE);
        assertThat(t.observe(2 * HALF, true, 0.03, "nest")).isEqualTo(EventTracker.Change.STARTED);
        assertThat(t.startUs()).isZero();
        assertThat(t.peak()).isEqualTo(0.08);
        for (long i = 3; i < 8; i++) {
            assertThat(t.observe(i * HALF, i == 3, 0, "")).as("within the hold-off").isEqualTo(EventTracker.Change.NONE);
        }
        assertThat(t.observe(9 * HALF, false, 0, "")).isEqualTo(EventTracker.Change.ENDED);
        assertThat(t.lastMotionUs()).isEqualTo(3 * HALF);
        assertThat(t.active()).isFalse();
    }

    @Test
    void aBlipShorterThanMinSecondsIsNoEvent() {
        EventTracker t = new EventTracker(1.0, 3.0);
        t.observe(0, true, 0.5, "");
        for (long i = 1; i < 20; i++) {
            assertThat(t.observe(i * HALF, i == 10, 0.5, "")).isEqualTo(EventTracker.Change.NONE);
        }
        assertThat(t.active()).isFalse();
    }

    @Test
    void oneMissedPictureDoesNotRestartTheCountButALongGapDoes() {
        EventTracker t = new EventTracker(1.5, 3.0);
        t.observe(0, true, 0.1, "");
        t.observe(HALF, false, 0, "");
        t.observe(2 * HALF, true, 0.1, "");
        assertThat(t.observe(3 * HALF, true, 0.1, "")).isEqualTo(EventTracker.Change.STARTED);
        assertThat(t.startUs()).isZero();
        assertThat(t.interrupted()).isEqualTo(EventTracker.Change.ENDED);

        EventTracker g = new EventTracker(1.0, 3.0);
        g.observe(0, true, 0.1, "");
        g.observe(4 * HALF, false, 0, "");
        g.observe(5 * HALF, true, 0.1, "");
        g.observe(6 * HALF, true, 0.1, "");
        assertThat(g.observe(7 * HALF, true, 0.1, "")).isEqualTo(EventTracker.Change.STARTED);
        assertThat(g.startUs()).isEqualTo(5 * HALF);
    }
}

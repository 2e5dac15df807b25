package io.beeperkeeper.media.hls;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Stamps for LL-HLS that never open a gap a browser would treat as a discontinuity. */
class SmoothedTimelineTest {
    static final long FRAME = 66_667;

    @Test
    void picturesOnTimeKeepTheirArrivalTimes() {
        SmoothedTimeline t = new SmoothedTimeline(100_000);
        for (int i = 0; i < 10; i++) {
            assertThat(t.stamp(i * FRAME, FRAME, i == 0)).isEqualTo(i * FRAME);
        }
    }

    @Test
    void aBurstAfterAPauseIsSpreadSoNoTwoPicturesAreMoreThanOneAndAHalfFramesApart() {
        SmoothedTimeline t = new SmoothedTimeline(100_000);
        // 15 fps, then the machine stalls 400 ms and hands over six pictures at once
        List<Long> arrivals = new ArrayList<>(List.of(0L, FRAME, 2 * FRAME));
        for (int i = 0; i < 6; i++) {
            arrivals.add(2 * FRAME + 400_000 + i * 1_000L);
        }
        for (int i = 0; i < 20; i++) {
            arrivals.add(2 * FRAME + 400_000 + (i + 1) * FRAME);
        }
        List<Long> stamps = new ArrayList<>();
        for (long a : arrivals) {
            stamps.add(t.stamp(a, FRAME, false));
        }
        for (int i = 1; i < stamps.size(); i++) {
            assertThat(stamps.get(i) - stamps.get(i - 1)).as("step %d of %s", i, stamps).isBetween(FRAME / 2, FRAME + FRAME / 2);
        }
        // and the timeline has caught up with arrival again
        assertThat(arrivals.get(arrivals.size() - 1) - stamps.get(stamps.size() - 1)).isLessThan(FRAME / 2);
    }

    @Test
    void aLateKeyframeJumpsToItsArrivalAndAnEarlyOneNeverGoesBack() {
        SmoothedTimeline t = new SmoothedTimeline(100_000);
        t.stamp(0, FRAME, true);
        t.stamp(FRAME, FRAME, false);
        assertThat(t.stamp(FRAME + 500_000, FRAME, true)).as("keyframe 430 ms late").isEqualTo(FRAME + 500_000);
        long before = t.stamp(FRAME + 500_000 + FRAME, FRAME, false);
        assertThat(t.stamp(before + 1_000, FRAME, true)).as("keyframe right behind its predecessor")
                .isEqualTo(before + FRAME - FRAME / 2);
    }

    @Test
    void afterAResetTheNextFrameHasItsArrivalTime() {
        SmoothedTimeline t = new SmoothedTimeline(100_000);
        t.stamp(0, FRAME, true);
        t.reset();
        assertThat(t.stamp(5_000_000, FRAME, false)).isEqualTo(5_000_000);
    }
}

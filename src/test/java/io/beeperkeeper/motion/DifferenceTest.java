package io.beeperkeeper.motion;

import io.beeperkeeper.config.MotionConfig;
import io.beeperkeeper.config.MotionZone;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-picture score on synthetic pictures: noise is not motion, a moving square is, a light switch is not. */
class DifferenceTest {
    static final MotionConfig.Settings DAY = MotionConfig.defaults().forCamera("coop");

    static MotionConfig.Settings with(List<MotionZone> zones, List<MotionZone> masks) {
        return DAY.withPolygons(zones, masks);
    }

    static MotionZone box(String name, double x0, double y0, double x1, double y1) {
        return new MotionZone(name, List.of(List.of(x0, y0), List.of(x1, y0), List.of(x1, y1), List.of(x0, y1)));
    }

    private static double maxScore(Difference d, Scene s, int from, int to, int squareY) {
        double max = 0;
        for (int i = from; i < to; i++) {
            max = Math.max(max, d.look(s.picture(i * 500_000L, 0, squareY < 0 ? -1 : 10 + (i - from) * 6, squareY)).score());
        }
        return max;
    }

    @Test
    void aStillNoisySceneIsNotMotionAndAMovingSquareIs() {
        Scene s = new Scene(4, false);
        Difference d = new Difference(DAY, 2);
        assertThat(maxScore(d, s, 0, 20, -1)).as("sensor noise alone").isLessThan(DAY.minArea());
        double moving = maxScore(d, s, 20, 40, 40);
        assertThat(moving).as("a 24x24 square is 3 %% of the picture").isGreaterThan(0.02);
        assertThat(d.night()).isFalse();
    }

    @Test
    void aLightSwitchedOnOrOffIsNotMotionAndTheBackgroundStartsOver() {
        Scene s = new Scene(4, false);
        Difference d = new Difference(DAY, 2);
        maxScore(d, s, 0, 10, -1);
        Difference.Look on = d.look(s.picture(6_000_000, 60, -1, 0));
        assertThat(on.lightsSwitched()).isTrue();
        assertThat(on.score()).isZero();
        for (int i = 0; i < 10; i++) {
            assertThat(d.look(s.picture(6_500_000 + i * 500_000L, 60, -1, 0)).score()).as("after the light").isLessThan(DAY.minArea());
        }
        assertThat(d.look(s.picture(12_000_000, 0, -1, 0)).lightsSwitched()).as("and off again").isTrue();
        Difference.Look dim = d.look(s.picture(12_500_000, 10, -1, 0));
        assertThat(dim.lightsSwitched()).as("a small uniform change is subtracted, not a switch").isFalse();
        assertThat(dim.score()).isLessThan(DAY.minArea());
    }

    @Test
    void aMaskHidesTheMotionAndAZoneNamesWhereItIs() {
        Scene s = new Scene(4, false);
        MotionZone path = box("path", 0, 0.25, 1, 0.65);
        Difference masked = new Difference(with(List.of(), List.of(path)), 2);
        maxScore(masked, s, 0, 10, -1);
        assertThat(maxScore(masked, s, 10, 30, 40)).as("motion only under the mask").isLessThan(DAY.minArea());

        Difference elsewhere = new Difference(with(List.of(box("roof", 0, 0, 1, 0.2)), List.of()), 2);
        maxScore(elsewhere, s, 0, 10, -1);
        assertThat(maxScore(elsewhere, s, 10, 30, 40)).as("motion outside the only zone").isLessThan(DAY.minArea());

        Difference zoned = new Difference(with(List.of(box("roof", 0, 0, 1, 0.2), path), List.of()), 2);
        maxScore(zoned, s, 0, 10, -1);
        String zone = "";
        double best = 0;
        for (int i = 10; i < 30; i++) {
            Difference.Look l = zoned.look(s.picture(i * 500_000L, 0, 10 + (i - 10) * 6, 40));
            if (l.score() > best) {
                best = l.score();
                zone = l.zone();
            }
        }
        assertThat(best).as("a fraction of the zones' area, larger than of the picture").isGreaterThan(0.05);
        assertThat(zone).isEqualTo("path");
    }

    @Test
    void aGreyNoisyNightPictureSwitchesToNightModeIgnoresTheNoiseAndSeesTheSquare() {
        Scene day = new Scene(4, false);
        Scene night = new Scene(12, true);
        Difference d = new Difference(DAY, 2);
        maxScore(d, day, 0, 6, -1);
        // the IR-cut filter moves: a grey picture with another light level
        for (int i = 6; i < 30; i++) {
            Difference.Look l = d.look(night.picture(i * 500_000L, -30, -1, 0));
            assertThat(l.score()).as("picture %d after the switch to infrared", i).isLessThan(DAY.minArea());
        }
        assertThat(d.night()).isTrue();
        assertThat(maxScore(d, night, 30, 50, 40)).as("the square at night").isGreaterThan(0.02);

        Difference dayOnly = new Difference(new MotionConfig.Settings(true, 0.5, 0.01, 1, 4, MotionConfig.Night.OFF, List.of(), List.of()), 2);
        assertThat(dayOnly.night()).isFalse();
    }
}

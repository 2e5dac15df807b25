package io.beeperkeeper.timelapse;

import io.beeperkeeper.media.mp4.Mp4TestMedia;
import io.beeperkeeper.ManualClock;
import io.beeperkeeper.config.CameraConfig;
import io.beeperkeeper.config.MediaConfig;
import io.beeperkeeper.config.TimelapseConfig;
import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.media.Cameras;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The feature on a real ffmpeg test camera, with a clock the test moves 30 s at a time across
 * midnight: one keyframe per interval is kept, the day that ended plays as its movie (checked by
 * ffprobe), so does today's so far, and health and meters count what was kept.
 */
class TimelapseFeatureTest {
    @TempDir
    Path dir;

    @Test
    void keepsAKeyframeEachIntervalAndMakesTheDayThatEndedIntoAMovie() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-12-01T23:58:10Z"));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Cameras cameras = new Cameras(Map.of("coop", CameraConfig.test(false).validated("coop")), MediaConfig.defaults());
             TimelapseFeature timelapse = new TimelapseFeature(new TimelapseConfig(true, 30, 30, 30), cameras, dir, ZoneOffset.UTC,
                     clock, meters, Duration.ofMillis(100))) {
            cameras.start();
            timelapse.start();
            for (int i = 1; i <= 6; i++) {
                int expected = i;
                // the test camera sends a keyframe every 2 s: a generous deadline for a loaded machine
                await("keyframe " + i).atMost(Duration.ofSeconds(90))
                        .until(() -> timelapse.days("coop").stream().mapToInt(TimelapseDay::frames).sum() == expected);
                if (i < 6) {
                    clock.advance(Duration.ofSeconds(30));
                }
            }
            // 23:58:10, :40, 23:59:10, :40 on the 1st; 00:00:10, :40 on the 2nd, and the clock stays there
            assertThat(timelapse.days("coop")).extracting(TimelapseDay::day, TimelapseDay::frames, TimelapseDay::today)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(LocalDate.of(2026, 12, 2), 2, true),
                            org.assertj.core.groups.Tuple.tuple(LocalDate.of(2026, 12, 1), 4, false));
            assertThat(timelapse.yesterday("coop")).get().extracting(TimelapseDay.Movie::file).isEqualTo("2026-12-01.mp4");

            MovieProbe.assertMovie(Mp4TestMedia.save(timelapse.movie("coop", "2026-12-01.mp4").orElseThrow(), dir.resolve("1st.mp4")),
                    4, 30, 640, 480);
            MovieProbe.assertMovie(Mp4TestMedia.save(timelapse.movie("coop", "2026-12-02.mp4").orElseThrow(), dir.resolve("2nd.mp4")),
                    2, 30, 640, 480);
            assertThat(timelapse.movie("coop", "2026-11-30.mp4")).isEmpty();
            assertThat(timelapse.movie("coop", "2026-12-01-2.mp4")).isEmpty();
            assertThat(timelapse.movie("barn", "2026-12-01.mp4")).isEmpty();
            assertThat(timelapse.movie("coop", "../../etc/passwd")).isEmpty();

            ComponentHealth h = timelapse.health().get(0).state().get();
            assertThat(h.status()).isEqualTo(ComponentHealth.Status.UP);
            assertThat(h.detail()).contains("coop: 6 kept");
            assertThat(meters.get("beeper.timelapse.keyframes").tag("camera", "coop").functionCounter().count()).isEqualTo(6);
            assertThat(meters.get("beeper.timelapse.written").tag("camera", "coop").functionCounter().count())
                    .isGreaterThan(6 * 1000);
        }
    }
}

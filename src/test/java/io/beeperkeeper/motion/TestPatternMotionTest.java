package io.beeperkeeper.motion;

import io.beeperkeeper.config.BeeperConfig;
import io.beeperkeeper.config.CameraConfig;
import io.beeperkeeper.config.MediaConfig;
import io.beeperkeeper.config.MotionCameraConfig;
import io.beeperkeeper.config.MotionConfig;
import io.beeperkeeper.config.MotionZone;
import io.beeperkeeper.media.Cameras;
import io.beeperkeeper.media.Stream;
import io.beeperkeeper.media.camera.CameraSupervisor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The test camera that {@code ./beeper run} starts (ffmpeg's testsrc2 with a clock) moves all the time:
 * with the default settings that is motion, and a large enough {@code minArea} or a mask over the
 * picture ignores it. Three detectors look at the one camera at once.
 */
class TestPatternMotionTest {
    @TempDir
    Path dir;

    @Test
    void theTestPatternIsMotionByDefaultAndMinAreaOrAMaskIgnoresIt() throws Exception {
        CameraConfig csi = BeeperConfig.defaults().cameras().effective().get("csi");
        MediaConfig media = MediaConfig.defaults();
        CameraSupervisor cam = CameraSupervisor.forConfig("csi", csi, media, new Stream("csi"));
        MotionZone all = new MotionZone("everything", List.of(List.of(0.0, 0.0), List.of(1.0, 0.0), List.of(1.0, 1.0), List.of(0.0, 1.0)));
        MotionConfig defaults = MotionConfig.defaults();
        MotionConfig bigOnly = new MotionConfig(true, 2, 160, 120, 0.5, 0.01, 1, 4, MotionConfig.Night.AUTO, 30,
                Map.of("csi", new MotionCameraConfig(null, null, 0.6, null, null, null, List.of(), List.of())));
        MotionConfig masked = new MotionConfig(true, 2, 160, 120, 0.5, 0.01, 1, 4, MotionConfig.Night.AUTO, 30,
                Map.of("csi", new MotionCameraConfig(null, null, null, null, null, null, List.of(), List.of(all))));
        List<String> started = new CopyOnWriteArrayList<>();
        try (Cameras cameras = new Cameras(List.of(cam), media);
             MotionFeature d = feature(defaults, cameras, "default", started);
             MotionFeature b = feature(bigOnly, cameras, "minArea", started);
             MotionFeature m = feature(masked, cameras, "masked", started)) {
            d.start();
            b.start();
            m.start();
            cameras.start();
            await("the test pattern's motion").atMost(Duration.ofSeconds(90)).until(() -> started.contains("default"));
            // the others looked at as many pictures and saw none
            await().atMost(Duration.ofSeconds(90)).until(() -> m.live("csi").orElseThrow() != null && picturesOf(b) >= 30 && picturesOf(m) >= 30);
            System.out.printf("test pattern: score %.3f of the picture changes (default minArea %.2f)%n", d.live("csi").orElseThrow().score(),
                    defaults.minArea());
            assertThat(started).doesNotContain("minArea", "masked");
        }
    }

    private static long picturesOf(MotionFeature f) {
        return f.picturesLookedAt("csi");
    }

    private MotionFeature feature(MotionConfig c, Cameras cameras, String name, List<String> started) {
        MotionFeature f = new MotionFeature(c, cameras, "ffmpeg", dir.resolve(name), dir.resolve(name + ".db"), Clock.systemUTC(),
                (n, p) -> { }, new SimpleMeterRegistry());
        f.addListener(new MotionListener() {
            @Override
            public void started(MotionEvent event) {
                started.add(name);
            }

            @Override
            public void ended(MotionEvent event) {
            }
        });
        return f;
    }
}

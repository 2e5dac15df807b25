package io.beeperkeeper.media.camera;

import io.beeperkeeper.config.CameraConfig;
import io.beeperkeeper.config.MediaConfig;
import io.beeperkeeper.media.AudioTrack;
import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.FrameQueue;
import io.beeperkeeper.media.Stream;
import io.beeperkeeper.media.Tracks;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

class CameraSupervisorTest {
    static final MediaConfig MEDIA = new MediaConfig("ffmpeg", 2, 30, true, 90, 5, 10);

    static CameraConfig smallTest(String audio) {
        return new CameraConfig("test", 320, 240, 15, 300, 1.0, null, audio, null, null, null, null).validated("t");
    }

    @Test
    void testCameraWithToneGoesLiveWithBothTracksAndComesBackAfterItsProcessIsKilled() throws Exception {
        Stream stream = new Stream("usb");
        try (CameraSupervisor cam = CameraSupervisor.forConfig("usb", smallTest("opus"), MEDIA, stream)) {
            cam.start();
            await(() -> cam.state().status() == CameraState.Status.LIVE, 15);
            Tracks tracks = stream.tracks().orElseThrow();
            assertThat(tracks.video().width()).isEqualTo(320);
            assertThat(tracks.video().codecString()).startsWith("avc1.42C0");
            assertThat(tracks.audio()).get().extracting(AudioTrack::codec).isEqualTo(AudioTrack.Codec.OPUS);
            assertThat(tracks.mimeType()).contains(",opus");

            FrameQueue q = new FrameQueue(500, 10_000_000);
            try (Stream.Subscription s = stream.subscribe(q)) {
                assertThat(q.take(1, TimeUnit.SECONDS).tracks()).isEqualTo(tracks);
                Frame first = q.take(2, TimeUnit.SECONDS).frame();
                assertThat(first.isVideo() && first.keyframe()).as("a new subscriber starts at a keyframe").isTrue();
                long audio = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                while (audio < 10 && System.nanoTime() < deadline) {
                    FrameQueue.Item item = q.take(1, TimeUnit.SECONDS);
                    if (item != null && item.frame() != null && !item.frame().isVideo()) {
                        audio++;
                    }
                }
                assertThat(audio).isGreaterThanOrEqualTo(10);
            }

            long pid = cam.pid();
            assertThat(pid).isPositive();
            new ProcessBuilder("kill", "-9", String.valueOf(pid)).start().waitFor();
            await(() -> cam.state().status() != CameraState.Status.LIVE, 5);
            assertThat(cam.state().reason()).contains("exited");
            long before = stream.framesPublished();
            await(() -> cam.state().status() == CameraState.Status.LIVE && cam.pid() != pid, 15);
            await(() -> stream.framesPublished() > before + 10, 5);
            assertThat(cam.state().restarts()).isEqualTo(1);
        }
    }

    @Test
    void aCommandThatDoesNotExistIsRetriedAndShownOffline() throws Exception {
        Stream stream = new Stream("ghost");
        CameraSupervisor cam = new CameraSupervisor("ghost", smallTest("none"), MEDIA, stream,
                url -> new CameraCommand(List.of("/nonexistent/rpicam-vid", "-o", "-"), null), Clock.systemUTC());
        try (cam) {
            cam.start();
            await(() -> cam.state().restarts() >= 2, 6);
            assertThat(cam.state().status()).isIn(CameraState.Status.OFFLINE, CameraState.Status.STARTING);
            await(() -> cam.state().status() == CameraState.Status.OFFLINE, 3);
            assertThat(cam.state().reason()).contains("cannot start").contains("/nonexistent/rpicam-vid");
            assertThat(stream.tracks()).isEmpty();
        }
    }

    @Test
    void aProcessThatSendsNothingIsRestartedAsHung() throws Exception {
        Stream stream = new Stream("hung");
        CameraSupervisor cam = new CameraSupervisor("hung", smallTest("none"), MEDIA, stream,
                url -> new CameraCommand(List.of("sleep", "60"), null), Clock.systemUTC());
        try (cam) {
            cam.start();
            await(() -> cam.state().restarts() >= 1, 6);
            assertThat(cam.state().reason()).contains("no frame for 2.0 s");
        }
    }

    @Test
    void garbageOnTheVideoPipeIsSkippedAndTheCameraRestartedAsHung() throws Exception {
        Stream stream = new Stream("noise");
        CameraSupervisor cam = new CameraSupervisor("noise", smallTest("none"), MEDIA, stream,
                url -> new CameraCommand(List.of("sh", "-c", "head -c 50000000 /dev/urandom; sleep 60"), null), Clock.systemUTC());
        try (cam) {
            cam.start();
            await(() -> cam.state().restarts() >= 1, 8);
            assertThat(cam.state().reason()).contains("no frame");
            assertThat(stream.tracks()).isEmpty();
        }
    }

    static void await(BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + seconds + " s");
            }
            Thread.sleep(50);
        }
    }
}

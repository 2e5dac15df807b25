package io.beeperkeeper.media.camera;

import io.beeperkeeper.config.CameraConfig;
import io.beeperkeeper.config.MediaConfig;
import io.beeperkeeper.media.AudioTrack;
import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.FrameQueue;
import io.beeperkeeper.media.Stream;
import io.beeperkeeper.media.Tracks;
import org.junit.jupiter.api.Test;

import io.beeperkeeper.ManualClock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class CameraSupervisorTest {
    /** How long a test waits for a camera process to act: generous, a loaded 2-core machine starts ffmpeg slowly. */
    static final Duration CAMERA = Duration.ofSeconds(60);
    static final MediaConfig MEDIA = new MediaConfig("ffmpeg", 2, 20, 30, true, 90, 5, 10, 20);
    /** No hang deadline within a test's run: for tests that count restarts they cause themselves. */
    static final MediaConfig STEADY = new MediaConfig("ffmpeg", 60, 120, 30, true, 90, 5, 10, 20);
    /** A first-frame deadline as short as the hang deadline: for processes that never send a frame. */
    static final MediaConfig QUICK = new MediaConfig("ffmpeg", 2, 2, 30, true, 90, 5, 10, 20);

    static CameraConfig smallTest(String audio) {
        return new CameraConfig("test", 320, 240, 15, 300, 1.0, null, audio, null, null, null, null).validated("t");
    }

    @Test
    void testCameraWithToneGoesLiveWithBothTracksAndComesBackAfterItsProcessIsKilled() throws Exception {
        Stream stream = new Stream("usb");
        try (CameraSupervisor cam = CameraSupervisor.forConfig("usb", smallTest("opus"), STEADY, stream)) {
            cam.start();
            await().atMost(CAMERA).until(() -> cam.state().status() == CameraState.Status.LIVE);
            Tracks tracks = stream.tracks().orElseThrow();
            assertThat(tracks.video().width()).isEqualTo(320);
            assertThat(tracks.video().codecString()).startsWith("avc1.42C0");
            assertThat(tracks.audio()).get().extracting(AudioTrack::codec).isEqualTo(AudioTrack.Codec.OPUS);
            assertThat(tracks.mimeType()).contains(",opus");

            FrameQueue q = new FrameQueue(500, 10_000_000);
            try (Stream.Subscription s = stream.subscribe(q)) {
                assertThat(q.take(CAMERA.toSeconds(), TimeUnit.SECONDS).tracks()).isEqualTo(tracks);
                Frame first = q.take(CAMERA.toSeconds(), TimeUnit.SECONDS).frame();
                assertThat(first.isVideo() && first.keyframe()).as("a new subscriber starts at a keyframe").isTrue();
                AtomicLong audio = new AtomicLong();
                await("10 audio frames").atMost(CAMERA).pollDelay(Duration.ZERO).pollInterval(Duration.ZERO).until(() -> {
                    FrameQueue.Item item = q.take(1, TimeUnit.SECONDS);
                    if (item != null && item.frame() != null && !item.frame().isVideo()) {
                        audio.incrementAndGet();
                    }
                    return audio.get() >= 10;
                });
            }

            long pid = cam.pid();
            assertThat(pid).isPositive();
            new ProcessBuilder("kill", "-9", String.valueOf(pid)).start().waitFor();
            await().atMost(CAMERA).until(() -> cam.state().status() != CameraState.Status.LIVE);
            assertThat(cam.state().reason()).contains("exited");
            long before = stream.framesPublished();
            await().atMost(CAMERA).until(() -> cam.state().status() == CameraState.Status.LIVE && cam.pid() != pid);
            await().atMost(CAMERA).until(() -> stream.framesPublished() > before + 10);
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
            await().atMost(CAMERA).until(() -> cam.state().restarts() >= 2);
            assertThat(cam.state().status()).isIn(CameraState.Status.OFFLINE, CameraState.Status.STARTING);
            await().atMost(CAMERA).until(() -> cam.state().status() == CameraState.Status.OFFLINE);
            assertThat(cam.state().reason()).contains("cannot start").contains("/nonexistent/rpicam-vid");
            assertThat(stream.tracks()).isEmpty();
        }
    }

    @Test
    void aProcessThatSendsNothingIsRestartedAsHung() throws Exception {
        Stream stream = new Stream("hung");
        CameraSupervisor cam = new CameraSupervisor("hung", smallTest("none"), QUICK, stream,
                url -> new CameraCommand(List.of("sleep", "60"), null), Clock.systemUTC());
        try (cam) {
            cam.start();
            await().atMost(CAMERA).until(() -> cam.state().restarts() >= 1);
            assertThat(cam.state().reason()).contains("no frame for 2.0 s");
        }
    }

    @Test
    void garbageOnTheVideoPipeIsSkippedAndTheCameraRestartedAsHung() throws Exception {
        Stream stream = new Stream("noise");
        CameraSupervisor cam = new CameraSupervisor("noise", smallTest("none"), QUICK, stream,
                url -> new CameraCommand(List.of("sh", "-c", "head -c 50000000 /dev/urandom; sleep 60"), null), Clock.systemUTC());
        try (cam) {
            cam.start();
            await().atMost(CAMERA).until(() -> cam.state().restarts() >= 1);
            assertThat(cam.state().reason()).contains("no frame");
            assertThat(stream.tracks()).isEmpty();
            // random bytes hold a start code only every few MB: on a slow pipe the first process may be
            // killed as hung before any unit was cut, so wait for the count across restarts
            await().atMost(CAMERA).until(() -> cam.malformedUnits() > 0);
            assertThat(cam.malformedUnits()).as("garbage counted for the camera's health").isPositive();
        }
    }

    @Test
    void aCameraSlowerToStartThanHangSecondsGoesLiveWithoutARestart() throws Exception {
        Stream stream = new Stream("slow");
        CameraConfig config = smallTest("none");
        // a loaded Pi: 5 s before the encoder even starts, well past hangSeconds (2 s)
        CameraSupervisor cam = new CameraSupervisor("slow", config, MEDIA, stream,
                url -> slow(5, CameraCommand.build(config, "ffmpeg", url)), Clock.systemUTC());
        try (cam) {
            cam.start();
            await().atMost(CAMERA).until(() -> cam.state().status() == CameraState.Status.LIVE);
            assertThat(cam.state().restarts()).isZero();
        }
    }

    @Test
    void theFirstFrameDeadlineIsMediaFirstFrameSecondsOnTheInjectedClock() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-06-01T12:00:00Z"));
        Stream stream = new Stream("silent");
        CameraSupervisor cam = new CameraSupervisor("silent", smallTest("none"), MEDIA, stream,
                url -> new CameraCommand(List.of("sleep", "600"), null), clock);
        try (cam) {
            cam.start();
            await().atMost(CAMERA).until(() -> cam.pid() > 0 && cam.watchdogChecks() > 0);
            long pid = cam.pid();
            clock.advance(Duration.ofSeconds(10)); // far past hangSeconds, short of firstFrameSeconds
            long checks = cam.watchdogChecks();
            await().atMost(CAMERA).until(() -> cam.watchdogChecks() >= checks + 2);
            assertThat(cam.state().restarts()).isZero();
            assertThat(cam.pid()).isEqualTo(pid);

            clock.advance(Duration.ofSeconds(11)); // 21 s without a first frame
            await().atMost(CAMERA).until(() -> cam.state().restarts() >= 1);
            assertThat(cam.state().reason()).contains("no frame for 20.0 s after the process started")
                    .contains("media.firstFrameSeconds");
        }
    }

    @Test
    void aLiveCameraThatStopsSendingIsRestartedAfterHangSeconds() throws Exception {
        Stream stream = new Stream("frozen");
        try (CameraSupervisor cam = CameraSupervisor.forConfig("frozen", smallTest("none"), MEDIA, stream)) {
            cam.start();
            await().atMost(CAMERA).until(() -> cam.state().status() == CameraState.Status.LIVE);
            long pid = cam.pid();
            new ProcessBuilder("kill", "-STOP", String.valueOf(pid)).start().waitFor();
            await().atMost(CAMERA).until(() -> cam.state().restarts() >= 1);
            assertThat(cam.state().reason()).contains("no frame for 2.0 s (process hung)");
        }
    }

    /** A watchdog that never fires while a test moves the clock by hand. */
    static final MediaConfig PATIENT = new MediaConfig("ffmpeg", 300, 600, 30, true, 90, 5, 10, 20);

    @Test
    void aCameraThatWasLiveTenSecondsIsBackWithinFiveSecondsAfterEveryKill() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-06-01T12:00:00Z"));
        Stream stream = new Stream("steady");
        CameraConfig config = smallTest("none");
        List<CameraState> states = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Long> stateNanos = new java.util.concurrent.CopyOnWriteArrayList<>();
        CameraSupervisor cam = new CameraSupervisor("steady", config, PATIENT, stream,
                url -> CameraCommand.build(config, "ffmpeg", url), clock);
        cam.onStateChange(s -> {
            stateNanos.add(System.nanoTime());
            states.add(s);
        });
        try (cam) {
            cam.start();
            for (int kill = 1; kill <= 5; kill++) {
                await().atMost(CAMERA).until(() -> cam.state().status() == CameraState.Status.LIVE && cam.pid() > 0);
                clock.advance(Duration.ofSeconds(11)); // it has been live for 11 s
                long pid = cam.pid();
                int before = states.size();
                long killedAt = System.nanoTime();
                new ProcessBuilder("kill", "-9", String.valueOf(pid)).start().waitFor();
                // live again: an offline state, then live with a new process
                await().atMost(CAMERA).until(() -> states.stream().skip(before).anyMatch(s -> s.status() == CameraState.Status.OFFLINE)
                        && cam.state().status() == CameraState.Status.LIVE && cam.pid() > 0 && cam.pid() != pid);
                double back = (System.nanoTime() - killedAt) / 1e9;
                int restarting = before;
                while (states.get(restarting).status() != CameraState.Status.STARTING) {
                    restarting++;
                }
                double hub = (stateNanos.get(restarting) - killedAt) / 1e9;
                System.out.printf("kill %d: process started again after %.2f s, back live (first keyframe published) after %.2f s%n",
                        kill, hub, back);
                // Back live within 5 s, first keyframe included, is the target on a Pi. Of it the hub's share is
                // noticing the death and starting the process again at once, with no backoff (the reasons say
                // "restarting now", checked below): 0.2-0.9 s at a load average of 25-30 on 2 cores; the bound
                // leaves a loaded machine room and still fails a backoff of seconds. The
                // rest is the camera process's start-up to its first keyframe (ffmpeg here, rpicam-vid on a Pi),
                // which a loaded machine slows by seconds: the whole figure is printed.
                assertThat(hub).as("kill %d: seconds until the hub started the camera process again", kill).isLessThan(3.0);
            }
            assertThat(states).filteredOn(s -> s.status() == CameraState.Status.OFFLINE)
                    .extracting(CameraState::reason).hasSize(5).allMatch(r -> r.endsWith("restarting now"));
        }
    }

    @Test
    void aCameraThatDiesRightAfterGoingLiveKeepsItsBackoff() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-06-01T12:00:00Z"));
        Stream stream = new Stream("flaky");
        CameraConfig config = smallTest("none");
        List<CameraState> states = new java.util.concurrent.CopyOnWriteArrayList<>();
        CameraSupervisor cam = new CameraSupervisor("flaky", config, PATIENT, stream,
                url -> CameraCommand.build(config, "ffmpeg", url), clock);
        cam.onStateChange(states::add);
        try (cam) {
            cam.start();
            for (int kill = 1; kill <= 3; kill++) {
                await().atMost(CAMERA).until(() -> cam.state().status() == CameraState.Status.LIVE && cam.pid() > 0);
                long pid = cam.pid();
                new ProcessBuilder("kill", "-9", String.valueOf(pid)).start().waitFor();
                await().atMost(CAMERA).until(() -> cam.state().status() != CameraState.Status.LIVE);
            }
            await().atMost(CAMERA).until(() -> states.stream().filter(s -> s.status() == CameraState.Status.OFFLINE).count() == 3);
            assertThat(states).filteredOn(s -> s.status() == CameraState.Status.OFFLINE).extracting(CameraState::reason)
                    .satisfiesExactly(r -> assertThat(r).endsWith("restarting in 1.0 s"),
                            r -> assertThat(r).endsWith("restarting in 2.0 s"),
                            r -> assertThat(r).endsWith("restarting in 4.0 s"));
        }
    }

    @Test
    void aMissingFfmpegIsExplainedWithItsFixAndLoggedOnce() throws Exception {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(CameraSupervisor.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged = new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        MediaConfig noFfmpeg = new MediaConfig("/nonexistent/ffmpeg", 2, 2, 1, true, 90, 5, 10, 20);
        try (CameraSupervisor cam = CameraSupervisor.forConfig("nocam", smallTest("opus"), noFfmpeg, new Stream("nocam"))) {
            cam.start();
            await().atMost(CAMERA).until(() -> cam.state().restarts() >= 4 && cam.state().status() == CameraState.Status.OFFLINE);
            assertThat(cam.state().reason()).contains("cannot start /nonexistent/ffmpeg")
                    .contains("sudo apt-get install ffmpeg").contains("media.ffmpeg");
        } finally {
            logger.detachAppender(logged);
        }
        List<String> warnings = logged.list.stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.INFO))
                .filter(e -> e.getFormattedMessage().contains("nocam"))
                .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
        assertThat(warnings).filteredOn(m -> m.contains("cannot start")).as(warnings.toString()).hasSize(1);
        assertThat(warnings).filteredOn(m -> m.contains("sudo apt-get install ffmpeg")).hasSize(1);
    }

    /** The same command, started {@code seconds} late (a shell that sleeps, then execs it). */
    static CameraCommand slow(int seconds, CameraCommand c) {
        List<String> argv = new java.util.ArrayList<>(List.of("sh", "-c", "sleep " + seconds + "; exec \"$0\" \"$@\""));
        argv.addAll(c.argv());
        return new CameraCommand(argv, c.audioFormat(), c.audioMap());
    }

}

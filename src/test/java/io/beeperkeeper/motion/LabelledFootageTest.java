package io.beeperkeeper.motion;

import io.beeperkeeper.config.CameraConfig;
import io.beeperkeeper.config.MediaConfig;
import io.beeperkeeper.config.MotionConfig;
import io.beeperkeeper.media.Cameras;
import io.beeperkeeper.media.Ffmpeg;
import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.FrameConsumer;
import io.beeperkeeper.media.Tracks;
import io.beeperkeeper.media.camera.CameraSupervisor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Detection measured on labelled footage: a synthetic 60 s clip (a still scene with sensor noise, a
 * box moving through it in four known intervals, lights switched on and off four times while nothing
 * moves), and a night version (grey, darker, much noisier, the switches standing for the IR-cut
 * filter), each played by the hub's {@code file} camera source into motion detection. Detected events
 * are dated by the file's own frame numbers (frame n of the clip is at n/10 s, whatever the machine's
 * load), and compared with the labels: precision, recall and the start/end error are printed and
 * asserted.
 */
public class LabelledFootageTest {
    static final int FPS = 10;
    static final double LENGTH = 60;
    /** When the box moves (seconds of the clip), the only motion in it. */
    static final double[][] MOTION = {{6, 11}, {20, 24}, {33, 38}, {51, 56}};
    /** Lights on and off, while nothing moves: never an event. */
    static final double[] LIGHTS = {14, 28, 42, 47};
    /** Start and end may be this far from the label: a picture every 0.5 s, and the box's first and last picture. */
    static final double MAX_ERROR_SECONDS = 1.5;

    @TempDir
    Path dir;

    public static Path footage(Path dir, String name, boolean night) throws Exception {
        Path file = dir.resolve(name);
        StringBuilder x = new StringBuilder();
        for (double[] m : MOTION) {
            // left to right or right to left, across most of the picture
            boolean right = x.length() % 2 == 0;
            x.append("if(between(t,").append(m[0]).append(',').append(m[1]).append("),")
                    .append(right ? "20+(t-" + m[0] + ")*" + (240 / (m[1] - m[0])) : "260-(t-" + m[0] + ")*" + (240 / (m[1] - m[0])))
                    .append(',');
        }
        x.append("-200").append(")".repeat(MOTION.length));
        StringBuilder lights = new StringBuilder();
        for (int i = 0; i < LIGHTS.length; i += 2) {
            lights.append(i == 0 ? "" : "+").append("between(t,").append(LIGHTS[i]).append(',').append(LIGHTS[i + 1]).append(')');
        }
        String look = night ? "hue=s=0,eq=brightness=-0.12:contrast=0.8,noise=alls=28:allf=t+u" : "noise=alls=12:allf=t+u";
        String graph = "[0]drawgrid=w=40:h=40:t=2:c=0x304028,drawbox=x=20:y=160:w=90:h=60:c=0x202020:t=fill,"
                + "drawbox=x=210:y=20:w=70:h=50:c=0xa0a0c0:t=fill[bg];"
                + "[bg][1]overlay=eval=frame:y=90:x='" + x + "'[m];"
                + "[m]eq=eval=frame:brightness='0.18*(" + lights + ")'," + look + ",format=yuv420p";
        Ffmpeg.Result r = Ffmpeg.run("ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "color=c=0x607050:s=320x240:r=" + FPS + ":d=" + (int) LENGTH,
                "-f", "lavfi", "-i", "color=c=0xe8d8a8:s=44x44:r=" + FPS + ":d=" + (int) LENGTH,
                "-filter_complex", graph, "-c:v", "libx264", "-preset", "ultrafast", "-g", String.valueOf(FPS), "-bf", "0",
                "-pix_fmt", "yuv420p", "-an", file.toString());
        assertThat(r.exit()).as(r.stderr()).isZero();
        return file;
    }

    /** Every video frame's stream time in the order the camera sent them: the index is the clip's frame number. */
    static final class FrameClock implements FrameConsumer {
        final List<Long> times = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onTracks(Tracks tracks) {
        }

        @Override
        public void onFrame(Frame frame) {
            if (frame.isVideo()) {
                times.add(frame.timeUs());
            }
        }

        /** Seconds into the clip (first pass at 0) of the frame at {@code timeUs}. */
        double clipSeconds(long timeUs) {
            List<Long> copy;
            synchronized (times) {
                copy = new ArrayList<>(times);
            }
            int i = Collections.binarySearch(copy, timeUs);
            return (i >= 0 ? i : -i - 1) / (double) FPS;
        }
    }

    record Figures(double precision, double recall, double maxStartError, double maxEndError, int detected) {
    }

    static Figures compare(String what, List<MotionEvent> ended, FrameClock clock) {
        List<double[]> detected = new ArrayList<>();
        for (MotionEvent e : ended) {
            double s = clock.clipSeconds(e.startUs());
            if (s < LENGTH) {
                detected.add(new double[]{s, clock.clipSeconds(e.endUs())});
            }
        }
        int matchedLabels = 0;
        int matchedEvents = 0;
        double startError = 0;
        double endError = 0;
        boolean[] used = new boolean[detected.size()];
        for (double[] label : MOTION) {
            for (int i = 0; i < detected.size(); i++) {
                double[] d = detected.get(i);
                if (!used[i] && d[0] < label[1] && d[1] > label[0]) {
                    used[i] = true;
                    matchedLabels++;
                    startError = Math.max(startError, Math.abs(d[0] - label[0]));
                    endError = Math.max(endError, Math.abs(d[1] - label[1]));
                    break;
                }
            }
        }
        for (boolean u : used) {
            matchedEvents += u ? 1 : 0;
        }
        Figures f = new Figures(detected.isEmpty() ? 0 : (double) matchedEvents / detected.size(),
                (double) matchedLabels / MOTION.length, startError, endError, detected.size());
        StringBuilder sb = new StringBuilder();
        detected.forEach(d -> sb.append(String.format(" [%.1f-%.1f]", d[0], d[1])));
        System.out.printf("motion figures %s: precision %.2f recall %.2f, start error max %.1f s, end error max %.1f s; detected%s%n",
                what, f.precision(), f.recall(), f.maxStartError(), f.maxEndError(), sb);
        return f;
    }

    @Test
    void dayAndNightFootageGiveTheLabelledEventsAndNoneForTheLights() throws Exception {
        Path day = footage(dir, "day.mp4", false);
        Path night = footage(dir, "night.mp4", true);
        MediaConfig media = MediaConfig.defaults();
        FrameClock dayClock = new FrameClock();
        FrameClock nightClock = new FrameClock();
        CameraSupervisor dayCam = CameraSupervisor.forConfig("day", CameraConfig.file(day.toString()).validated("day"), media,
                new io.beeperkeeper.media.Stream("day"));
        CameraSupervisor nightCam = CameraSupervisor.forConfig("night", CameraConfig.file(night.toString()).validated("night"), media,
                new io.beeperkeeper.media.Stream("night"));
        dayCam.stream().subscribe(dayClock);
        nightCam.stream().subscribe(nightClock);
        List<MotionEvent> started = new CopyOnWriteArrayList<>();
        List<MotionEvent> ended = new CopyOnWriteArrayList<>();
        List<String> sse = new CopyOnWriteArrayList<>();
        try (Cameras cameras = new Cameras(List.of(dayCam, nightCam), media);
             MotionFeature motion = new MotionFeature(MotionConfig.defaults(), cameras, "ffmpeg", dir, dir.resolve("hub.db"),
                     Clock.systemUTC(), (name, payload) -> sse.add(name), new SimpleMeterRegistry())) {
            motion.addListener(new MotionListener() {
                @Override
                public void started(MotionEvent event) {
                    started.add(event);
                }

                @Override
                public void ended(MotionEvent event) {
                    ended.add(event);
                }
            });
            motion.start();
            cameras.start();
            // a whole pass of each clip and the hold-off after its last motion
            await().atMost(Duration.ofSeconds(240)).until(() -> dayClock.times.size() > (LENGTH + 5) * FPS
                    && nightClock.times.size() > (LENGTH + 5) * FPS);
            List<MotionEvent> dayEvents = ended.stream().filter(e -> e.camera().equals("day")).toList();
            List<MotionEvent> nightEvents = ended.stream().filter(e -> e.camera().equals("night")).toList();
            Figures d = compare("day", dayEvents, dayClock);
            Figures n = compare("night", nightEvents, nightClock);

            assertThat(d.recall()).as("day recall").isGreaterThanOrEqualTo(0.9);
            assertThat(d.precision()).as("day precision (the lights are no event)").isGreaterThanOrEqualTo(0.9);
            assertThat(n.recall()).as("night recall").isGreaterThanOrEqualTo(0.9);
            assertThat(n.precision()).as("night precision").isGreaterThanOrEqualTo(0.9);
            assertThat(Math.max(d.maxStartError(), n.maxStartError())).as("start error, s").isLessThanOrEqualTo(MAX_ERROR_SECONDS);
            assertThat(Math.max(d.maxEndError(), n.maxEndError())).as("end error, s").isLessThanOrEqualTo(MAX_ERROR_SECONDS);
            assertThat(nightEvents).allSatisfy(e -> assertThat(e.night()).as("the grey picture is night mode").isTrue());
            assertThat(dayEvents).allSatisfy(e -> assertThat(e.night()).isFalse());

            // each event is kept with its thumbnail, went to the page, and was told at its start too
            assertThat(started.size()).isGreaterThanOrEqualTo(ended.size());
            assertThat(sse).contains("motion");
            List<MotionEvent> stored = motion.events("day", Instant.now().minus(Duration.ofHours(1)), Instant.now(), 100);
            assertThat(stored).hasSizeGreaterThanOrEqualTo(dayEvents.size());
            MotionEvent first = dayEvents.get(0);
            assertThat(stored).anySatisfy(s -> {
                assertThat(s.id()).isEqualTo(first.id());
                assertThat(s.end()).isEqualTo(first.end());
            });
            byte[] jpeg = motion.thumbnail(first.id()).orElseThrow();
            assertThat(jpeg[0] & 0xff).isEqualTo(0xff);
            assertThat(jpeg[1] & 0xff).isEqualTo(0xd8);
            Path thumb = Files.write(dir.resolve("thumb.jpg"), jpeg);
            Ffmpeg.Result probe = Ffmpeg.run("ffprobe", "-v", "error", "-show_entries", "stream=width,height", "-of", "csv=p=0", thumb.toString());
            assertThat(probe.stdout().trim()).isEqualTo("160,120");
            assertThat(motion.live("day")).get().extracting(MotionFeature.Live::night).isEqualTo(false);
        }
    }
}

package io.beeperkeeper.recordings;

import com.fasterxml.jackson.databind.JsonNode;
import io.beeperkeeper.ManualClock;
import io.beeperkeeper.feature.Json;
import io.beeperkeeper.media.mp4.Mp4TestMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * One camera's recorder on real x264 frames (a keyframe every second): a clip starts from the
 * pre-roll, its samples are written once with a small header beside them, and the two are a
 * faststart MP4 that ffprobe reads with the right length and frame count; motion
 * longer than the longest clip is split at keyframes into linked parts; below the free-space floor
 * no clip starts and one being written ends early.
 */
class CameraRecorderTest {
    private static final long T0 = Instant.parse("2026-12-02T12:00:00Z").toEpochMilli();
    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(Instant.ofEpochMilli(T0));
    private final List<Clip> done = new CopyOnWriteArrayList<>();
    private CameraRecorder recorder;

    private ClipLibrary library() throws Exception {
        ClipLibrary l = new ClipLibrary(dir.resolve("clips"), Json.newMapper(), ZoneOffset.UTC);
        l.load();
        return l;
    }

    private CameraRecorder start(ClipLibrary library, long maxClipMs, CameraRecorder.Room room) {
        recorder = new CameraRecorder("coop", 5_000, 1_000, maxClipMs, 12L << 20, clock, library, room, done::add);
        recorder.start();
        return recorder;
    }

    @AfterEach
    void stop() {
        if (recorder != null) {
            recorder.close();
        }
    }

    /** Feeds frames {@code from} to {@code to} (exclusive), moving the clock along. */
    private void feed(ClipMedia media, int from, int to) {
        for (int i = from; i < to; i++) {
            var f = media.frame(i, T0);
            clock.set(Instant.ofEpochMilli(f.receivedAtMs()));
            recorder.onFrame(f);
        }
    }

    @Test
    void aClickRecordsThePreRollThenTheSecondsAskedForAsAFaststartMp4() throws Exception {
        ClipMedia media = new ClipMedia();
        ClipLibrary library = library();
        start(library, 60_000, reserve -> true);
        recorder.onTracks(media.tracks);
        feed(media, 0, 150); // 10 s: the pre-roll is full
        long trigger = T0 + 10_000;
        assertThat(recorder.trigger(ClipKind.MANUAL, "record button", trigger, trigger + 3_000)).isTrue();
        feed(media, 150, 225); // 5 s more; the clip ends at 13 s

        await("the clip is listed").atMost(Duration.ofSeconds(60)).until(() -> done.size() == 1);
        Clip c = done.get(0);
        assertThat(c.kind()).isEqualTo(ClipKind.MANUAL);
        assertThat(c.part()).isEqualTo(1);
        assertThat(c.eventId()).isEqualTo("coop-20261202-120010000");
        assertThat(c.id()).isEqualTo("coop-20261202-120010000-1");
        assertThat(Clip.isId(c.id())).isTrue();
        // the pre-roll: from the keyframe at or before trigger - 5 s (a keyframe every second: exactly 5 s)
        assertThat(c.startMs()).isLessThanOrEqualTo(trigger - 5_000 + 1_000).isEqualTo(trigger - 5_000);
        assertThat(c.frames()).isEqualTo(8 * 15);
        assertThat(c.durationMs()).isCloseTo(8_000, within(2L));
        assertThat(c.width()).isEqualTo(320);

        assertThat(Files.size(library.samples(c)) + Files.size(library.head(c))).as("the samples once, and a header")
                .isEqualTo(c.bytes());
        assertThat(Files.size(library.head(c))).as("a header of a few kB").isLessThan(8_000);
        Path mp4 = ClipMedia.saved(library, c);
        assertThat(Mp4TestMedia.boxes(mp4)).containsExactly("ftyp", "moov", "mdat");
        assertThat(Files.size(mp4)).isEqualTo(c.bytes());
        JsonNode probe = Mp4TestMedia.probe(mp4);
        JsonNode v = probe.path("streams").path(0);
        assertThat(v.path("codec_name").asText()).isEqualTo("h264");
        assertThat(v.path("nb_read_frames").asInt()).isEqualTo(120);
        assertThat(probe.path("format").path("duration").asDouble()).isCloseTo(8.0, within(0.01));
        Mp4TestMedia.assertDecodesCleanly(mp4);
        assertThat(Files.list(library.folder("coop")).map(p -> p.getFileName().toString()))
                .as("no temporary file left").containsExactlyInAnyOrder(c.id() + ".samples", c.id() + ".head", c.id() + ".json");
        assertThat(library.list(Optional.empty(), Optional.empty(), Optional.empty())).containsExactly(c);
        assertThat(library().get(c.id())).as("listed again after a restart").contains(c);
    }

    @Test
    void longMotionIsSplitAtKeyframesIntoLinkedPartsOfAtMostTheLongestClip() throws Exception {
        ClipMedia media = new ClipMedia();
        ClipLibrary library = library();
        start(library, 5_000, reserve -> true);
        recorder.onTracks(media.tracks);
        feed(media, 0, 90); // 6 s
        recorder.motion(true, T0 + 6_000);
        feed(media, 90, 300); // motion for 14 s
        recorder.motion(false, T0 + 20_000);
        feed(media, 300, 360); // post-roll 1 s, then nothing records

        await("the parts are listed").atMost(Duration.ofSeconds(60)).until(() -> done.size() == 4);
        // pre-roll from 1 s, motion to 20 s, post-roll to 21 s: 20 s in parts of 5 s
        assertThat(done).extracting(Clip::part).containsExactly(1, 2, 3, 4);
        assertThat(done).extracting(Clip::eventId).containsOnly("coop-20261202-120006000");
        assertThat(done).extracting(Clip::kind).containsOnly(ClipKind.MOTION);
        assertThat(done.get(0).startMs()).isEqualTo(T0 + 1_000);
        int frames = 0;
        for (int i = 0; i < done.size(); i++) {
            Clip c = done.get(i);
            assertThat(c.durationMs()).as("part %d", c.part()).isLessThanOrEqualTo(5_000 + 2);
            if (i > 0) {
                Clip before = done.get(i - 1);
                assertThat(c.startMs()).as("parts follow each other").isCloseTo(before.startMs() + before.durationMs(), within(2L));
            }
            JsonNode probe = ClipMedia.probe(library, c);
            assertThat(probe.path("streams").path(0).path("nb_read_frames").asInt()).isEqualTo(c.frames());
            assertThat(probe.path("format").path("duration").asDouble()).isCloseTo(c.durationMs() / 1000.0, within(0.01));
            frames += c.frames();
        }
        assertThat(frames).as("every frame from the pre-roll to the post-roll, once").isEqualTo(20 * 15);
    }

    @Test
    void motionToldLateSplitsItsPreRollSoNoPartIsLongerThanTheLongestClip() throws Exception {
        ClipMedia media = new ClipMedia();
        ClipEvents events = new ClipEvents("coop", 5_000, 1_000, 5_000, 12L << 20, clock, library(), reserve -> true, done::add);
        events.tracks(media.tracks);
        for (int i = 0; i < 165; i++) { // 11 s: motion began at 6 s and is told only now
            events.frame(media.frame(i, T0));
        }
        events.motion(true, T0 + 6_000);
        for (int i = 165; i < 300; i++) {
            events.frame(media.frame(i, T0));
        }
        events.motion(false, T0 + 20_000);
        for (int i = 300; i < 360; i++) {
            events.frame(media.frame(i, T0));
        }

        assertThat(done).extracting(Clip::part).containsExactly(1, 2, 3, 4);
        // the pre-roll holds 8 s (5 s asked for, 3 s for a late trigger) and one GOP: from 2 s
        assertThat(done.get(0).startMs()).as("the pre-roll reaches back as far as it holds").isEqualTo(T0 + 2_000);
        assertThat(done).allSatisfy(c -> assertThat(c.durationMs()).as("part %d", c.part()).isLessThanOrEqualTo(5_000 + 2));
        assertThat(done).extracting(Clip::frames).as("every frame from the pre-roll to the post-roll, once")
                .satisfies(f -> assertThat(f.stream().mapToInt(Integer::intValue).sum()).isEqualTo(19 * 15));
    }

    @Test
    void aRecorderBehindTheCameraClosesNothingForWantOfFramesStillWaitingInItsQueue() throws Exception {
        ClipMedia media = new ClipMedia();
        ClipEvents events = new ClipEvents("coop", 5_000, 1_000, 60_000, 12L << 20, clock, library(), reserve -> true, done::add);
        events.tracks(media.tracks);
        for (int i = 0; i < 90; i++) {
            events.frame(media.frame(i, T0));
        }
        events.trigger(ClipKind.MANUAL, "record button", T0 + 6_000, T0 + 7_000);
        assertThat(events.recording()).isTrue();
        long behind = T0 + 6_000 + ClipEvents.SILENT_MS + 5_000; // the disk kept the recorder 15 s behind

        events.check(behind, true);
        assertThat(events.recording()).as("frames wait: the camera is not silent").isTrue();
        assertThat(done).isEmpty();

        events.check(behind + 1_000, false);
        assertThat(done).as("nothing waits and nothing came: the clip is closed").hasSize(1);
    }

    @Test
    void belowTheFreeSpaceFloorNoClipStartsAndOneBeingWrittenEnds() throws Exception {
        ClipMedia media = new ClipMedia();
        ClipLibrary library = library();
        AtomicLong free = new AtomicLong(0);
        start(library, 60_000, reserve -> free.get() - reserve >= 1_000_000);
        recorder.onTracks(media.tracks);
        feed(media, 0, 90);
        recorder.trigger(ClipKind.MANUAL, "record button", T0 + 6_000, T0 + 20_000);
        feed(media, 90, 120);
        await("the refusal is counted").atMost(Duration.ofSeconds(60)).until(() -> recorder.refused() == 1);
        assertThat(recorder.recording()).isFalse();

        free.set(50_000_000);
        recorder.trigger(ClipKind.MANUAL, "record button", T0 + 8_000, T0 + 30_000);
        feed(media, 120, 180);
        await("recording").atMost(Duration.ofSeconds(60)).until(recorder::recording);
        free.set(1_000_100); // less than the clip's header still needs
        feed(media, 180, 240);
        await("the clip ends early and is kept").atMost(Duration.ofSeconds(60)).until(() -> done.size() == 1);
        assertThat(recorder.refused()).isEqualTo(2);
        assertThat(done.get(0).durationMs()).isLessThan(22_000);
        assertThat(ClipMedia.probe(library, done.get(0)).path("streams").path(0).path("nb_read_frames").asInt())
                .isEqualTo(done.get(0).frames());
    }
}

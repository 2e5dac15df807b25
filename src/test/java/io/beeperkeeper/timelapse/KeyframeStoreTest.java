package io.beeperkeeper.timelapse;

import io.beeperkeeper.media.mp4.Mp4TestMedia;
import io.beeperkeeper.media.mp4.Mp4Movie;
import io.beeperkeeper.media.h264.AccessUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The keyframe store on disk with keyframes recorded from a real x264: a day becomes an all-intra
 * movie at 30 fps (checked by ffprobe and a full decode), a restart mid-day continues the day and
 * drops a half-written keyframe, new picture parameters start another part, old days are deleted.
 */
class KeyframeStoreTest {
    static final LocalDate DAY = LocalDate.of(2026, 12, 1);
    static final Instant MORNING = DAY.atTime(6, 0).toInstant(ZoneOffset.UTC);
    static List<AccessUnit> small;
    static List<AccessUnit> large;

    @TempDir
    static Path recorded;
    @TempDir
    Path dir;

    @BeforeAll
    static void record() throws Exception {
        small = RecordedKeyframes.record(recorded, 320, 240, 45);
        large = RecordedKeyframes.record(recorded, 640, 480, 4);
    }

    static long keep(KeyframeStore store, AccessUnit au, Instant at) throws Exception {
        return store.append("coop", au.sps(), au.pps(), au.nals(), at);
    }

    @Test
    void aDayOfKeyframesBecomesAnAllIntraMovieAtThirtyFramesASecond() throws Exception {
        Path root = dir.resolve("timelapse");
        try (KeyframeStore store = new KeyframeStore(root, ZoneOffset.UTC, 30)) {
            long bytes = 0;
            for (int i = 0; i < small.size(); i++) {
                bytes += keep(store, small.get(i), MORNING.plusSeconds(30L * i));
            }
            assertThat(store.days("coop", DAY)).singleElement().satisfies(d -> {
                assertThat(d.today()).isTrue();
                assertThat(d.frames()).isEqualTo(45);
            });
            MovieProbe.assertMovie(Mp4TestMedia.save(store.movie("coop", DAY, 1).orElseThrow(), dir.resolve("today.mp4")), 45, 30, 320, 240);

            store.closeDaysBefore(DAY.plusDays(1));
            Path dayDir = root.resolve("coop/2026-12-01");
            assertThat(bytes).isEqualTo(Files.size(dayDir.resolve("part-1.avc")) + Files.size(dayDir.resolve("part-1.idx")))
                    .isEqualTo(small.stream().mapToLong(au -> 48 + 20 + au.nals().stream().mapToLong(n -> 4 + n.length).sum()).sum());
            Mp4Movie movie = store.movie("coop", DAY, 1).orElseThrow();
            assertThat(movie.samples()).as("the movie's samples are the kept keyframes").isEqualTo(dayDir.resolve("part-1.avc"));
            assertThat(movie.size()).isEqualTo(movie.header().length + Files.size(dayDir.resolve("part-1.avc")));
            try (Stream<Path> files = Files.list(dayDir)) {
                assertThat(files.map(f -> f.getFileName().toString())).as("no movie file: nothing is copied")
                        .containsExactlyInAnyOrder("part-1.params", "part-1.avc", "part-1.idx");
            }
            MovieProbe.assertMovie(Mp4TestMedia.save(movie, dir.resolve("day.mp4")), 45, 30, 320, 240);

            TimelapseDay day = store.days("coop", DAY.plusDays(1)).get(0);
            assertThat(day.today()).isFalse();
            assertThat(day.movies()).singleElement().satisfies(m -> {
                assertThat(m.file()).isEqualTo("2026-12-01.mp4");
                assertThat(m.frames()).isEqualTo(45);
                assertThat(m.seconds()).isEqualTo(1.5);
                assertThat(m.width()).isEqualTo(320);
            });
            try (java.io.InputStream in = movie.open()) {
                byte[] whole = in.readAllBytes();
                try (java.io.InputStream later = movie.open()) {
                    assertThat(later.skip(whole.length - 100)).as("a Range request skips without reading").isEqualTo(whole.length - 100);
                    assertThat(later.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(whole, whole.length - 100, whole.length));
                }
            }
        }
    }

    @Test
    void aRestartMidDayContinuesTheDayAndCutsOffAHalfWrittenKeyframe() throws Exception {
        Path root = dir.resolve("timelapse");
        try (KeyframeStore store = new KeyframeStore(root, ZoneOffset.UTC, 30)) {
            for (int i = 0; i < 10; i++) {
                keep(store, small.get(i), MORNING.plusSeconds(30L * i));
            }
        }
        // power cut in the middle of the next keyframe: part of its bytes and part of its entry on disk
        Path part = root.resolve("coop/2026-12-01");
        Files.write(part.resolve("part-1.avc"), new byte[] {0, 0, 3, 0, 0x65, 1, 2}, StandardOpenOption.APPEND);
        Files.write(part.resolve("part-1.idx"), new byte[] {0, 0, 0, 0, 0, 1, 2}, StandardOpenOption.APPEND);
        try (KeyframeStore store = new KeyframeStore(root, ZoneOffset.UTC, 30)) {
            assertThat(store.days("coop", DAY).get(0).frames()).as("the torn keyframe is not counted").isEqualTo(10);
            for (int i = 10; i < 15; i++) {
                keep(store, small.get(i), MORNING.plusSeconds(30L * i));
            }
            MovieProbe.assertMovie(Mp4TestMedia.save(store.movie("coop", DAY, 1).orElseThrow(), dir.resolve("15.mp4")), 15, 30, 320, 240);
            keep(store, small.get(15), MORNING.plusSeconds(30L * 15));
            MovieProbe.assertMovie(Mp4TestMedia.save(store.movie("coop", DAY, 1).orElseThrow(), dir.resolve("16.mp4")), 16, 30, 320, 240);
        }
    }

    @Test
    void aCameraBackWithOtherParametersStartsAnotherPartOfTheDay() throws Exception {
        Path root = dir.resolve("timelapse");
        try (KeyframeStore store = new KeyframeStore(root, ZoneOffset.UTC, 30)) {
            for (int i = 0; i < 5; i++) {
                keep(store, small.get(i), MORNING.plusSeconds(30L * i));
            }
            for (int i = 0; i < 4; i++) {
                keep(store, large.get(i), MORNING.plusSeconds(600 + 30L * i));
            }
            keep(store, small.get(5), MORNING.plusSeconds(1200));
            store.closeDaysBefore(DAY.plusDays(1));
            List<TimelapseDay.Movie> movies = store.days("coop", DAY.plusDays(1)).get(0).movies();
            assertThat(movies).extracting(TimelapseDay.Movie::file)
                    .containsExactly("2026-12-01.mp4", "2026-12-01-2.mp4", "2026-12-01-3.mp4");
            assertThat(movies).extracting(TimelapseDay.Movie::frames).containsExactly(5, 4, 1);
            assertThat(movies).extracting(TimelapseDay.Movie::width).containsExactly(320, 640, 320);
            MovieProbe.assertMovie(Mp4TestMedia.save(store.movie("coop", DAY, 1).orElseThrow(), dir.resolve("1.mp4")), 5, 30, 320, 240);
            MovieProbe.assertMovie(Mp4TestMedia.save(store.movie("coop", DAY, 2).orElseThrow(), dir.resolve("2.mp4")), 4, 30, 640, 480);
        }
    }

    @Test
    void keyframesGoToTheDayOfTheirZoneAndOldDaysAreDeleted() throws Exception {
        Path root = dir.resolve("timelapse");
        try (KeyframeStore store = new KeyframeStore(root, java.time.ZoneId.of("Pacific/Auckland"), 30)) {
            // 23:00 UTC on the 1st is already the 2nd in New Zealand
            keep(store, small.get(0), DAY.atTime(23, 0).toInstant(ZoneOffset.UTC));
            keep(store, small.get(1), DAY.minusDays(5).atTime(1, 0).toInstant(ZoneOffset.UTC));
            assertThat(store.days("coop", DAY.plusDays(1))).extracting(TimelapseDay::day)
                    .containsExactly(DAY.plusDays(1), DAY.minusDays(5));
            assertThat(store.deleteDaysBefore(DAY.minusDays(2))).isEqualTo(1);
            assertThat(store.days("coop", DAY.plusDays(1))).extracting(TimelapseDay::day).containsExactly(DAY.plusDays(1));
            assertThat(store.movie("coop", DAY.minusDays(5), 1)).isEmpty();
            assertThat(store.movie("coop", DAY, 1)).as("no such day").isEmpty();
        }
    }
}

package io.beeperkeeper.recordings;

import io.beeperkeeper.feature.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The clip index: sidecars read back at start, leftovers of a cut-short write deleted, filters by
 * camera, day (in the hub's zone) and kind, retention by age and by total bytes oldest first.
 */
class ClipLibraryTest {
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    @TempDir
    Path dir;

    private ClipLibrary library() throws Exception {
        ClipLibrary l = new ClipLibrary(dir.resolve("clips"), Json.newMapper(), ZoneId.of("Europe/Berlin"));
        l.load();
        return l;
    }

    /** A clip as the recorder leaves it: a 100-byte header and its samples. */
    private static Clip clip(ClipLibrary l, String camera, ClipKind kind, Instant start, int bytes) throws Exception {
        return clip(l, camera, kind, start, bytes, false);
    }

    /** @param whole kept as one MP4 file instead */
    private static Clip clip(ClipLibrary l, String camera, ClipKind kind, Instant start, int bytes, boolean whole) throws Exception {
        String id = camera + "-" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmssSSS").withZone(java.time.ZoneOffset.UTC)
                .format(start) + "-1";
        Clip c = new Clip(id, camera, kind, id.substring(0, id.length() - 2), 1, start.toEpochMilli(), 10_000, start.toEpochMilli() + 5_000,
                start.toEpochMilli() + 5_001, bytes, 150, 320, 240, false, "test");
        Files.createDirectories(l.folder(camera));
        if (whole) {
            Files.write(l.mp4(c), new byte[bytes]);
        } else {
            Files.write(l.head(c), new byte[100]);
            Files.write(l.samples(c), new byte[bytes - 100]);
        }
        l.add(c);
        return c;
    }

    @Test
    void listsFiltersAndReadsItsSidecarsBack() throws Exception {
        ClipLibrary l = library();
        Clip a = clip(l, "coop", ClipKind.MOTION, NOW.minusSeconds(3600), 1000);
        Clip b = clip(l, "run", ClipKind.MANUAL, NOW.minusSeconds(60), 2000);
        Clip late = clip(l, "coop", ClipKind.ALERT, Instant.parse("2026-12-01T23:30:00Z"), 3000, true); // 00:30 on the 2nd in Berlin
        assertThat(l.list(Optional.empty(), Optional.empty(), Optional.empty())).containsExactly(b, a, late);
        assertThat(l.list(Optional.of("coop"), Optional.empty(), Optional.empty())).containsExactly(a, late);
        assertThat(l.list(Optional.empty(), Optional.of(LocalDate.parse("2026-12-02")), Optional.empty())).containsExactly(b, a, late);
        assertThat(l.list(Optional.empty(), Optional.of(LocalDate.parse("2026-12-01")), Optional.empty())).isEmpty();
        assertThat(l.list(Optional.empty(), Optional.empty(), Optional.of(ClipKind.MANUAL))).containsExactly(b);
        assertThat(l.bytes()).isEqualTo(6000);

        assertThat(l.movie(a).orElseThrow().size()).as("header and samples").isEqualTo(1000);
        assertThat(l.movie(a).orElseThrow().header()).hasSize(100);
        assertThat(l.movie(late).orElseThrow().size()).as("a whole MP4").isEqualTo(3000);
        assertThat(l.movie(late).orElseThrow().header()).isEmpty();

        // writes cut short: samples being recorded, samples and a header without sidecar, a temporary header, an MP4
        // without sidecar, and what older versions left (a part file, a temporary MP4)
        Files.write(l.folder("coop").resolve("coop-20261202-105500000-1.samples"), new byte[10]);
        Files.write(l.folder("coop").resolve("coop-20261202-110000000-1.samples"), new byte[10]);
        Files.write(l.folder("coop").resolve("coop-20261202-110000000-1.head"), new byte[10]);
        Files.write(l.folder("coop").resolve("coop-20261202-110000000-2.head.tmp"), new byte[10]);
        Files.write(l.folder("coop").resolve("coop-20261202-110200000-1.mp4"), new byte[10]);
        Files.write(l.folder("coop").resolve("coop-20261202-110500000-1.part"), new byte[10]);
        Files.write(l.folder("coop").resolve("coop-20261202-110500000-1.mp4.tmp"), new byte[10]);
        ClipLibrary again = library();
        assertThat(again.list(Optional.empty(), Optional.empty(), Optional.empty())).containsExactly(b, a, late);
        assertThat(again.bytes()).isEqualTo(6000);
        try (var files = Files.list(again.folder("coop"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    a.id() + ".head", a.id() + ".samples", a.id() + ".json", late.id() + ".mp4", late.id() + ".json");
        }
        assertThat(again.delete(a.id())).isTrue();
        assertThat(again.delete(a.id())).isFalse();
        assertThat(Files.exists(again.head(a))).isFalse();
        assertThat(Files.exists(again.samples(a))).isFalse();
        assertThat(again.movie(a)).as("its files are gone").isEmpty();
        assertThat(again.bytes()).isEqualTo(5000);
    }

    @Test
    void retentionDeletesClipsPastTheirAgeThenTheOldestPastTheBudget() throws Exception {
        ClipLibrary l = library();
        Clip old = clip(l, "coop", ClipKind.MOTION, NOW.minusSeconds(15 * 86_400L), 1000);
        Clip c1 = clip(l, "coop", ClipKind.MOTION, NOW.minusSeconds(5 * 86_400L), 4000);
        Clip c2 = clip(l, "run", ClipKind.MOTION, NOW.minusSeconds(4 * 86_400L), 4000);
        Clip c3 = clip(l, "coop", ClipKind.MOTION, NOW.minusSeconds(3 * 86_400L), 4000);
        assertThat(l.enforce(NOW, 14, 100_000)).as("by age").isEqualTo(1);
        assertThat(l.get(old.id())).isEmpty();
        assertThat(Files.exists(l.samples(old))).isFalse();
        assertThat(l.enforce(NOW, 14, 9_000)).as("by bytes, oldest first").isEqualTo(1);
        assertThat(l.list(Optional.empty(), Optional.empty(), Optional.empty())).containsExactly(c3, c2);
        assertThat(l.get(c1.id())).isEmpty();
        assertThat(l.bytes()).isEqualTo(8000);
        assertThat(l.enforce(NOW, 14, 9_000)).isZero();
    }
}

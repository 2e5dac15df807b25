package io.beeperkeeper.timelapse;

import io.beeperkeeper.media.h264.AccessUnit;
import io.beeperkeeper.media.h264.AnnexBReader;
import io.beeperkeeper.media.mp4.Mp4TestMedia;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The time-lapse on a real file against a crash and against the SD card's wear: a child JVM keeps
 * keyframes as fast as it can and is killed with {@code kill -9} in the middle; the part reopens with
 * every keyframe but the one whose page had not filled (most of them never reached the index, which
 * waits for a whole page: they are found from their markers), plays, and goes on. And the disk is
 * asked for the bytes kept and no more, even when every page is written back between two keyframes
 * (as a Pi does with keyframes 30 s apart).
 */
class KeyframeStoreCrashTest {
    @TempDir
    Path dir;

    /** The child: keeps the keyframes of an H.264 file again and again, saying each one, until killed. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            List<AccessUnit> units = AnnexBReader.parseAll(Files.readAllBytes(Path.of(args[1])));
            try (KeyframeStore store = new KeyframeStore(Path.of(args[0]), ZoneOffset.UTC, 30)) {
                for (int i = 0; ; i++) {
                    AccessUnit au = units.get(i % units.size());
                    store.append("coop", au.sps(), au.pps(), au.nals(), KeyframeStoreTest.MORNING.plusSeconds(30L * i));
                    System.out.println("KEPT " + (i + 1));
                    System.out.flush();
                }
            }
        }
    }

    @Test
    void aKillMidWayKeepsEveryKeyframeButTheLastAndThePartGoesOn() throws Exception {
        List<AccessUnit> units = RecordedKeyframes.record(dir, 320, 240, 20);
        assertThat(units).as("keyframes larger than a page, so the one lost is at most the last")
                .allMatch(au -> au.nals().stream().mapToInt(n -> n.length).sum() > PageAppender.PAGE);
        Path h264 = dir.resolve("keyframes.h264");
        Files.write(h264, Files.readAllBytes(Files.list(dir).filter(f -> f.toString().endsWith(".h264") && !f.equals(h264))
                .findFirst().orElseThrow()));
        Path root = dir.resolve("timelapse");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-cp", cp,
                Child.class.getName(), root.toString(), h264.toString())
                .redirectError(dir.resolve("child.err").toFile()).start();
        int seen = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            for (String line; seen < 300 && System.nanoTime() < deadline && (line = out.readLine()) != null; ) {
                if (line.startsWith("KEPT ")) {
                    seen = Integer.parseInt(line.substring(5).trim());
                }
            }
            child.destroyForcibly(); // SIGKILL while it is keeping the next ones
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(seen).as("child: %s", Files.readString(dir.resolve("child.err"))).isEqualTo(300);

        Path day = root.resolve("coop/2026-12-01");
        long indexed = Files.size(day.resolve("part-1.idx")) / Index.ENTRY_BYTES;
        try (KeyframeStore store = new KeyframeStore(root, ZoneOffset.UTC, 30)) {
            int frames = store.days("coop", KeyframeStoreTest.DAY).get(0).frames();
            assertThat(frames).as("every keyframe said kept but the last is intact").isGreaterThanOrEqualTo(seen - 1);
            assertThat(indexed).as("the index had only whole pages of entries").isLessThan(frames);
            MovieProbe.assertMovie(Mp4TestMedia.save(store.movie("coop", KeyframeStoreTest.DAY, 1).orElseThrow(), dir.resolve("after.mp4")),
                    frames, 30, 320, 240);
            for (int i = 0; i < 3; i++) {
                AccessUnit au = units.get(i);
                store.append("coop", au.sps(), au.pps(), au.nals(), KeyframeStoreTest.MORNING.plusSeconds(30L * (frames + i)));
            }
            store.close();
            assertThat(Files.size(day.resolve("part-1.idx"))).as("closing writes the whole index").isEqualTo((frames + 3L) * Index.ENTRY_BYTES);
            MovieProbe.assertMovie(Mp4TestMedia.save(store.movie("coop", KeyframeStoreTest.DAY, 1).orElseThrow(), dir.resolve("more.mp4")),
                    frames + 3, 30, 320, 240);
        }
    }

    @Test
    void theDiskIsAskedForTheBytesKeptEvenWhenEachPageIsWrittenBackBetweenKeyframes() throws Exception {
        List<AccessUnit> units = RecordedKeyframes.record(dir, 320, 240, 40);
        Path root = dir.resolve("timelapse");
        Path day = root.resolve("coop/2026-12-01");
        long before;
        long kept = 0;
        try (KeyframeStore store = new KeyframeStore(root, ZoneOffset.UTC, 30)) {
            // the part's files exist after the first keyframe; from then on each one is measured
            AccessUnit first = units.get(0);
            kept += store.append("coop", first.sps(), first.pps(), first.nals(), KeyframeStoreTest.MORNING);
            before = threadWriteBytes();
            for (int i = 1; i < units.size(); i++) {
                AccessUnit au = units.get(i);
                kept += store.append("coop", au.sps(), au.pps(), au.nals(), KeyframeStoreTest.MORNING.plusSeconds(30L * i));
                writeBack(day.resolve("part-1.avc"));
                writeBack(day.resolve("part-1.idx"));
            }
        }
        long written = threadWriteBytes() - before;
        long onDisk = Files.size(day.resolve("part-1.avc")) + Files.size(day.resolve("part-1.idx"));
        assertThat(onDisk).isEqualTo(kept);
        // every page once; the close writes the last, partial page of each file
        assertThat(written).as("write_bytes for %d B kept", kept).isLessThanOrEqualTo(kept + 3L * PageAppender.PAGE);
    }

    private static void writeBack(Path file) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(false);
        }
    }

    /** The bytes this thread has dirtied in the page cache (each page counted when a clean page becomes dirty). */
    private static long threadWriteBytes() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/thread-self/io"))) {
            if (line.startsWith("write_bytes:")) {
                return Long.parseLong(line.substring(12).trim());
            }
        }
        throw new IllegalStateException("no write_bytes in /proc/thread-self/io");
    }
}

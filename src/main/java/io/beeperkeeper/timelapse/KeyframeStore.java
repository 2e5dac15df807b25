package io.beeperkeeper.timelapse;

import io.beeperkeeper.media.mp4.Mp4Movie;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The kept keyframes of every camera, by day, under {@code <data>/timelapse/<camera>/<yyyy-MM-dd>/}
 * (the files of each {@link Part}), which are also the samples of the day's movies ({@link #movie}). One part per camera is open
 * for appending at a time; it changes at midnight (in the configured zone) and when the camera's
 * SPS/PPS change. Kept keyframes survive a hub restart: the day's last part is continued when the
 * camera comes back with the same parameters.
 *
 * <p>Not thread-safe for writing: {@link TimelapseFeature} calls {@link #append}, {@link #flushStale},
 * {@link #closeDaysBefore} and {@link #deleteDaysBefore} from its one worker thread. {@link #days}
 * and {@link #movie} only read and may be called from any thread; the open part they see through its
 * writer's {@link PartWriter.View}, whose newest bytes may still wait in memory for their page.
 */
public final class KeyframeStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KeyframeStore.class);

    private final Path root;
    private final ZoneId zone;
    private final int fps;
    private final Map<String, PartWriter> open = new ConcurrentHashMap<>();

    /**
     * @param root the store's folder ({@code <data>/timelapse})
     * @param zone whose midnight ends a day
     * @param fps  frame rate of the movies
     */
    public KeyframeStore(Path root, ZoneId zone, int fps) {
        this.root = root;
        this.zone = zone;
        this.fps = fps;
    }

    public Path root() {
        return root;
    }

    public LocalDate dayOf(Instant t) {
        return LocalDate.ofInstant(t, zone);
    }

    /**
     * Keeps one keyframe.
     *
     * @param sps  the SPS it decodes with (no start code)
     * @param pps  the PPS it decodes with
     * @param nals the access unit's NAL units, without start codes and without SPS/PPS
     * @return bytes written to disk
     */
    public long append(String camera, byte[] sps, byte[] pps, List<byte[]> nals, Instant takenAt) throws IOException {
        Params params = new Params(sps, pps);
        LocalDate day = dayOf(takenAt);
        PartWriter w = open.get(camera);
        if (w != null && (!w.part().day().equals(day) || !w.params().sameAs(params))) {
            closeWriter(camera);
            w = null;
        }
        if (w == null) {
            w = PartWriter.open(partFor(camera, day, params), params, takenAt.toEpochMilli());
            open.put(camera, w);
        }
        try {
            return w.append(nals, takenAt);
        } catch (IOException e) {
            // reopened on the next keyframe, which cuts off what this one left half-written
            closeWriter(camera);
            throw e;
        }
    }

    /** Writes the keyframe bytes that have waited too long for their page to fill (see {@link PartWriter}). */
    public void flushStale(Instant now) {
        for (String camera : List.copyOf(open.keySet())) {
            PartWriter w = open.get(camera);
            try {
                if (w != null) {
                    w.flushStale(now.toEpochMilli());
                }
            } catch (IOException e) {
                log.warn("time-lapse {}: writing the last keyframe: {}", camera, e.toString());
                closeWriter(camera);
            }
        }
    }

    /** The day's last part if it has these parameters and is still a store; else the next part. */
    private Part partFor(String camera, LocalDate day, Params params) throws IOException {
        Path dir = dayDir(camera, day);
        List<Part> parts = Part.in(dir, day);
        if (!parts.isEmpty()) {
            Part last = parts.get(parts.size() - 1);
            try {
                if (last.hasStore() && Params.read(last.params()).sameAs(params)) {
                    return last;
                }
            } catch (IOException e) {
                log.warn("time-lapse {}: {}; starting another part of the day", camera, e.getMessage());
            }
            return new Part(dir, day, last.number() + 1);
        }
        return new Part(dir, day, 1);
    }

    private Path dayDir(String camera, LocalDate day) {
        return root.resolve(camera).resolve(day.toString());
    }

    /**
     * The movie of one part of a day, from what is kept of it now (today's grows with each keyframe).
     * Only reads: it may be called from any thread while keyframes are appended, since an index entry
     * is trusted only once its keyframe's bytes are all in the samples file, and the open part is seen
     * through its writer's view (the bytes still in memory included).
     *
     * @return empty if there is no such part or it has no keyframe yet
     */
    public Optional<Mp4Movie> movie(String camera, LocalDate day, int number) throws IOException {
        Part part = new Part(dayDir(camera, day), day, number);
        if (!Files.exists(part.params())) {
            return Optional.empty();
        }
        PartWriter.View v = viewOf(part);
        if (v.entries().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(DayMovie.of(Params.read(part.params()), part.samples(), v, fps));
    }

    /**
     * Ends every day before {@code today}: its open part is closed. Its keyframes stay as they are,
     * since they are its movie's samples; nothing is copied.
     */
    public void closeDaysBefore(LocalDate today) {
        for (String camera : List.copyOf(open.keySet())) {
            PartWriter w = open.get(camera);
            if (w != null && w.part().day().isBefore(today)) {
                closeWriter(camera);
            }
        }
    }

    /** Deletes every day before {@code cutoff}, movies and keyframes; returns how many days went. */
    public int deleteDaysBefore(LocalDate cutoff) {
        int deleted = 0;
        for (String camera : cameras()) {
            for (LocalDate day : dayList(camera)) {
                if (day.isBefore(cutoff)) {
                    PartWriter w = open.get(camera);
                    if (w != null && w.part().day().equals(day)) {
                        closeWriter(camera);
                    }
                    try (Stream<Path> files = Files.walk(dayDir(camera, day))) {
                        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(f);
                        }
                        deleted++;
                    } catch (IOException e) {
                        log.warn("time-lapse {} {}: cannot delete the old day: {}", camera, day, e.toString());
                    }
                }
            }
        }
        return deleted;
    }

    /** The camera's days, newest first, with their movies; what cannot be read is left out. */
    public List<TimelapseDay> days(String camera, LocalDate today) {
        List<TimelapseDay> out = new ArrayList<>();
        for (LocalDate day : dayList(camera)) {
            List<TimelapseDay.Movie> movies = new ArrayList<>();
            try {
                for (Part p : Part.in(dayDir(camera, day), day)) {
                    describe(p).ifPresent(movies::add);
                }
            } catch (IOException e) {
                continue; // being deleted by retention right now
            }
            if (!movies.isEmpty()) {
                out.add(new TimelapseDay(day, day.equals(today), movies));
            }
        }
        return out;
    }

    private Optional<TimelapseDay.Movie> describe(Part p) {
        try {
            io.beeperkeeper.media.h264.Sps sps = Params.read(p.params()).parsed();
            List<Index.Entry> entries = viewOf(p).entries();
            if (entries.isEmpty()) {
                return Optional.empty();
            }
            int frames = entries.size();
            long bytes = entries.get(frames - 1).end();
            return Optional.of(new TimelapseDay.Movie(p.fileName(), p.number(), frames, frames / (double) fps,
                    sps.width(), sps.height(), bytes));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The part as its open writer sees it, or as it lies on disk. */
    private PartWriter.View viewOf(Part part) throws IOException {
        for (PartWriter w : open.values()) {
            if (w.part().equals(part)) {
                return w.view();
            }
        }
        Index.Loaded loaded = Index.load(part.index(), part.samples());
        return new PartWriter.View(loaded.entries(), loaded.end(), new byte[0]);
    }

    private List<String> cameras() {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            dirs.filter(Files::isDirectory).forEach(d -> out.add(d.getFileName().toString()));
        } catch (IOException e) {
            log.warn("time-lapse: cannot list {}: {}", root, e.toString());
        }
        return out;
    }

    /** The camera's day folders, newest first (other names in the folder are ignored). */
    private List<LocalDate> dayList(String camera) {
        List<LocalDate> out = new ArrayList<>();
        Path dir = root.resolve(camera);
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> dirs = Files.list(dir)) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                try {
                    out.add(LocalDate.parse(d.getFileName().toString()));
                } catch (DateTimeParseException ignored) {
                    // not a day folder
                }
            }
        } catch (IOException e) {
            return out;
        }
        out.sort(Comparator.reverseOrder());
        return out;
    }

    private void closeWriter(String camera) {
        PartWriter w = open.remove(camera);
        if (w != null) {
            try {
                w.close();
            } catch (IOException e) {
                log.warn("time-lapse {}: closing the day's files: {}", camera, e.toString());
            }
        }
    }

    @Override
    public void close() {
        for (String camera : List.copyOf(open.keySet())) {
            closeWriter(camera);
        }
    }
}

package io.beeperkeeper.timelapse;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The kept keyframes of every camera, by day, under {@code <data>/timelapse/<camera>/<yyyy-MM-dd>/}
 * (the files of each {@link Part}), and the day's movies built from them. One part per camera is open
 * for appending at a time; it changes at midnight (in the configured zone) and when the camera's
 * SPS/PPS change. Kept keyframes survive a hub restart: the day's last part is continued when the
 * camera comes back with the same parameters.
 *
 * <p>Not thread-safe for writing: {@link TimelapseFeature} calls {@link #append}, {@link #movie},
 * {@link #finishDaysBefore} and {@link #deleteDaysBefore} from its one worker thread. {@link #days}
 * only reads the folder and may be called from any thread.
 */
public final class KeyframeStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KeyframeStore.class);

    private final Path root;
    private final ZoneId zone;
    private final int fps;
    private final Map<String, PartWriter> open = new HashMap<>();
    private final AtomicLong moviesBuilt = new AtomicLong();
    private final AtomicLong movieBytes = new AtomicLong();

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
            w = PartWriter.open(partFor(camera, day, params), params);
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
     * The movie of one part of a day, built first if it is missing or older than the kept keyframes
     * (today's movie grows on each request as keyframes are added).
     *
     * @return the movie file, or empty if there is no such part or it has no keyframe yet
     */
    public Optional<Path> movie(String camera, LocalDate day, int number) throws IOException {
        Part part = new Part(dayDir(camera, day), day, number);
        if (!Files.exists(part.params())) {
            return Optional.empty();
        }
        Optional<Part.Movie> built = part.builtMovie();
        if (!part.hasStore()) {
            return built.map(Part.Movie::file);
        }
        List<Index.Entry> entries = Index.read(part.index(), part.samples());
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        if (built.isPresent() && built.get().frames() == entries.size()) {
            return Optional.of(built.get().file());
        }
        Path out = part.movie(entries.size());
        DayMovie.write(Params.read(part.params()), part.samples(), entries, fps, out);
        moviesBuilt.incrementAndGet();
        movieBytes.addAndGet(Files.size(out));
        for (Part.Movie old : part.movies()) {
            if (!old.file().equals(out)) {
                Files.deleteIfExists(old.file());
            }
        }
        return Optional.of(out);
    }

    /**
     * Ends every day before {@code today}: builds each part's movie and then deletes its kept
     * keyframes (the movie holds the same bytes). A part whose movie cannot be built keeps its store
     * and is tried again next time.
     *
     * @return the movies built
     */
    public int finishDaysBefore(LocalDate today) {
        long before = moviesBuilt.get();
        for (String camera : cameras()) {
            PartWriter w = open.get(camera);
            if (w != null && w.part().day().isBefore(today)) {
                closeWriter(camera);
            }
            for (LocalDate day : dayList(camera)) {
                if (!day.isBefore(today)) {
                    continue;
                }
                try {
                    for (Part p : Part.in(dayDir(camera, day), day)) {
                        if (p.hasStore()) {
                            movie(camera, day, p.number());
                            Files.deleteIfExists(p.index());
                            Files.deleteIfExists(p.samples());
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    log.warn("time-lapse {} {}: the day's movie could not be made ({}); its keyframes are kept and it is tried again",
                            camera, day, e.toString());
                }
            }
        }
        return (int) (moviesBuilt.get() - before);
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

    /** Bytes of the movies made since the hub started: what building them wrote to the disk. */
    public long movieBytesWritten() {
        return movieBytes.get();
    }

    /** Movies made since the hub started (finished days, and today's on request). */
    public long moviesBuilt() {
        return moviesBuilt.get();
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
            int frames;
            long bytes;
            if (p.hasStore()) {
                frames = Index.read(p.index(), p.samples()).size();
                bytes = Files.size(p.samples());
            } else {
                Optional<Part.Movie> m = p.builtMovie();
                if (m.isEmpty()) {
                    return Optional.empty();
                }
                frames = m.get().frames();
                bytes = Files.size(m.get().file());
            }
            if (frames == 0) {
                return Optional.empty();
            }
            return Optional.of(new TimelapseDay.Movie(p.fileName(), p.number(), frames, frames / (double) fps,
                    sps.width(), sps.height(), bytes));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
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

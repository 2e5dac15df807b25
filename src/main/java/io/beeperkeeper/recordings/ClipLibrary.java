package io.beeperkeeper.recordings;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.media.mp4.Mp4Movie;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The clips on disk, in {@code <root>/<camera>/}: each clip's samples ({@code <id>.samples}, written
 * once while it records), its MP4 header ({@code <id>.head}, a few kB written when it ends; the two
 * together are its faststart MP4, see {@link ClipWriter}), a small {@code <id>.json} written once when
 * the clip is finished, and a {@code <id>.jpg} thumbnail once it was asked for. A clip kept as one
 * {@code <id>.mp4} is served as it is. The index is those sidecars, read into memory at start: the
 * folder is the truth (a clip copied away or deleted by hand is simply gone, nothing to repair), a
 * clip costs one small file written once and never rewritten (a SQLite index would add WAL and
 * checkpoint writes per clip and share the history writer's lock), and even 2 GB of clips is only a
 * few thousand entries. Samples or a header without a sidecar are what a write cut short (a crash, a
 * power cut) left: deleted at start.
 *
 * <p>Retention: by age ({@code maxAgeDays}) and by size ({@code maxBytes}, oldest first). Thread safe.
 */
final class ClipLibrary {
    private static final Logger log = LoggerFactory.getLogger(ClipLibrary.class);
    private final Path root;
    private final ObjectMapper json;
    private final ZoneId zone;
    private final Map<String, Clip> clips = new HashMap<>();
    private long bytes;

    ClipLibrary(Path root, ObjectMapper json, ZoneId zone) {
        this.root = root;
        this.json = json;
        this.zone = zone;
    }

    Path root() {
        return root;
    }

    /** Reads the sidecars; deletes what a cut-short write left behind. */
    synchronized void load() throws IOException {
        Files.createDirectories(root);
        clips.clear();
        bytes = 0;
        try (DirectoryStream<Path> cameras = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path dir : cameras) {
                loadCamera(dir);
            }
        }
    }

    private void loadCamera(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(files::add);
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (!name.endsWith(".json")) {
                continue;
            }
            try {
                Clip c = json.readValue(f.toFile(), Clip.class);
                if (Clip.isId(c.id()) && stored(c)) {
                    clips.put(c.id(), c);
                    bytes += c.bytes();
                } else {
                    Files.deleteIfExists(f);
                }
            } catch (IOException | RuntimeException e) {
                log.warn("clips: skipping the unreadable index file {}: {}", f, e.getMessage());
            }
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            String id = name.replaceFirst("\\.(mp4|jpg|jpg\\.tmp|samples|head|head\\.tmp|json\\.tmp|part|mp4\\.tmp)$", "");
            if (!name.equals(id) && !clips.containsKey(id) && Files.exists(f)) {
                log.info("clips: deleting {}, left by a clip whose writing was cut short", f);
                Files.deleteIfExists(f);
            }
        }
    }

    Path folder(String camera) {
        return root.resolve(camera);
    }

    /** A clip kept as one whole MP4 file. */
    Path mp4(Clip c) {
        return folder(c.camera()).resolve(c.id() + ".mp4");
    }

    Path head(Clip c) {
        return head(c.camera(), c.id());
    }

    Path head(String camera, String id) {
        return folder(camera).resolve(id + ".head");
    }

    Path samples(Clip c) {
        return samples(c.camera(), c.id());
    }

    Path samples(String camera, String id) {
        return folder(camera).resolve(id + ".samples");
    }

    /** Whether the clip's media is on disk (its header and samples, or one MP4). */
    boolean stored(Clip c) {
        return Files.exists(head(c)) && Files.exists(samples(c)) || Files.exists(mp4(c));
    }

    /**
     * The clip's MP4: its header in front of its samples, or the MP4 file it is kept as.
     *
     * @return empty when its files are gone (deleted meanwhile)
     */
    Optional<Mp4Movie> movie(Clip c) throws IOException {
        try {
            if (Files.exists(head(c))) {
                byte[] header = Files.readAllBytes(head(c));
                return Optional.of(new Mp4Movie(header, samples(c), Files.size(samples(c))));
            }
            return Optional.of(new Mp4Movie(new byte[0], mp4(c), Files.size(mp4(c))));
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        }
    }

    Path jpg(Clip c) {
        return folder(c.camera()).resolve(c.id() + ".jpg");
    }

    /** Lists a finished clip (its header and samples are already in place): writes its sidecar. */
    synchronized void add(Clip c) throws IOException {
        Path side = folder(c.camera()).resolve(c.id() + ".json");
        Path tmp = side.resolveSibling(side.getFileName() + ".tmp");
        json.writeValue(tmp.toFile(), c);
        Files.move(tmp, side, StandardCopyOption.ATOMIC_MOVE);
        clips.put(c.id(), c);
        bytes += c.bytes();
    }

    synchronized Optional<Clip> get(String id) {
        return Optional.ofNullable(clips.get(id));
    }

    /**
     * Clips newest first, each filter applied when given.
     *
     * @param day the clip's start day in the hub's zone ({@code history.timeZone})
     */
    synchronized List<Clip> list(Optional<String> camera, Optional<LocalDate> day, Optional<ClipKind> kind) {
        return clips.values().stream()
                .filter(c -> camera.map(c.camera()::equals).orElse(true))
                .filter(c -> day.map(d -> dayOf(c).equals(d)).orElse(true))
                .filter(c -> kind.map(k -> c.kind() == k).orElse(true))
                .sorted(Comparator.comparingLong(Clip::startMs).reversed().thenComparing(Clip::id))
                .toList();
    }

    LocalDate dayOf(Clip c) {
        return c.start().atZone(zone).toLocalDate();
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int count() {
        return clips.size();
    }

    /** Deletes a clip's files; false when there is no such clip. */
    synchronized boolean delete(String id) throws IOException {
        Clip c = clips.remove(id);
        if (c == null) {
            return false;
        }
        bytes -= c.bytes();
        Files.deleteIfExists(folder(c.camera()).resolve(c.id() + ".json"));
        Files.deleteIfExists(head(c));
        Files.deleteIfExists(samples(c));
        Files.deleteIfExists(mp4(c));
        Files.deleteIfExists(jpg(c));
        return true;
    }

    /** Deletes the clips older than {@code maxAgeDays}, then the oldest until at most {@code maxBytes} remain; returns how many. */
    synchronized int enforce(Instant now, int maxAgeDays, long maxBytes) throws IOException {
        long oldest = now.minusSeconds(maxAgeDays * 86_400L).toEpochMilli();
        List<Clip> byAge = clips.values().stream().sorted(Comparator.comparingLong(Clip::startMs).thenComparing(Clip::id)).toList();
        int deleted = 0;
        for (Clip c : byAge) {
            if (c.startMs() < oldest || bytes > maxBytes) {
                delete(c.id());
                deleted++;
            }
        }
        return deleted;
    }
}

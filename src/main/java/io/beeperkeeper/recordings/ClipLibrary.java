package io.beeperkeeper.recordings;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
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
 * The clips on disk: {@code <root>/<camera>/<id>.mp4}, each with a small {@code <id>.json} written
 * once when the clip is finished (and a {@code <id>.jpg} thumbnail once it was asked for). The index
 * is those sidecars, read into memory at start: the folder is the truth (a clip copied away or
 * deleted by hand is simply gone, nothing to repair), a clip costs one small file written once and
 * never rewritten (a SQLite index would add WAL and checkpoint writes per clip and share the history
 * writer's lock), and even 2 GB of clips is only a few thousand entries. An MP4 without its sidecar
 * is one whose writing was cut short (a crash, a power cut): deleted at start with part files.
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
                if (Clip.isId(c.id()) && Files.exists(mp4(c))) {
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
            String id = name.replaceFirst("\\.(mp4|jpg|part|mp4\\.tmp)$", "");
            if (!name.equals(id) && !clips.containsKey(id) && Files.exists(f)) {
                log.info("clips: deleting {}, left by a clip whose writing was cut short", f);
                Files.deleteIfExists(f);
            }
        }
    }

    Path folder(String camera) {
        return root.resolve(camera);
    }

    Path mp4(Clip c) {
        return folder(c.camera()).resolve(c.id() + ".mp4");
    }

    Path jpg(Clip c) {
        return folder(c.camera()).resolve(c.id() + ".jpg");
    }

    Path part(String camera, String id) {
        return folder(camera).resolve(id + ".part");
    }

    /** Lists a finished clip (its MP4 is already in place): writes its sidecar. */
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

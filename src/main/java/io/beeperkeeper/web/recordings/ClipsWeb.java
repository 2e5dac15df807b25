package io.beeperkeeper.web.recordings;

import io.beeperkeeper.media.mp4.Mp4Movie;
import io.beeperkeeper.recordings.Clip;
import io.beeperkeeper.recordings.ClipKind;
import io.beeperkeeper.recordings.RecordingsFeature;
import io.beeperkeeper.web.Answers;
import io.beeperkeeper.web.WebModule;
import io.beeperkeeper.web.viewers.IdentityGate;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP surface of the clips (docs/recordings.md): {@code GET /api/clips?camera=&day=&kind=} (the
 * clips, newest first, and what records), {@code GET /api/clips/<id>.mp4} (with Range requests, so
 * a {@code <video>} seeks), {@code GET /api/clips/<id>.jpg} (its first keyframe),
 * {@code DELETE /api/clips/<id>} and {@code POST /api/clips/record?camera=&seconds=} (the page's
 * "record" button: the pre-roll and {@code seconds} more, 30 when not given). The two that change
 * something pass the request guards (same origin, JSON body) and the identity gate.
 */
public final class ClipsWeb implements WebModule {
    static final int DEFAULT_SECONDS = 30;
    static final int MAX_SECONDS = 600;
    private final RecordingsFeature recordings;
    private final IdentityGate gate;

    public ClipsWeb(RecordingsFeature recordings, IdentityGate gate) {
        this.recordings = recordings;
        this.gate = gate;
    }

    @Override
    public void register(RoutesConfig app) {
        app.get("/api/clips", this::list);
        app.post("/api/clips/record", this::record);
        app.get("/api/clips/{file}", this::file);
        app.delete("/api/clips/{id}", this::delete);
    }

    private void list(Context ctx) {
        Optional<String> camera = param(ctx, "camera");
        if (camera.isPresent() && !recordings.cameraNames().contains(camera.get())) {
            Answers.error(ctx, 400, "no camera '" + clip(camera.get()) + "'; cameras: " + String.join(", ", recordings.cameraNames()));
            return;
        }
        Optional<LocalDate> day;
        try {
            day = param(ctx, "day").map(LocalDate::parse);
        } catch (DateTimeParseException e) {
            Answers.error(ctx, 400, "'day' is a date such as 2026-12-01");
            return;
        }
        Optional<String> k = param(ctx, "kind");
        Optional<ClipKind> kind = k.flatMap(ClipKind::fromLabel);
        if (k.isPresent() && kind.isEmpty()) {
            Answers.error(ctx, 400, "'kind' is motion, alert or manual");
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enabled", recordings.enabled());
        out.put("preRollSeconds", recordings.config().preRollSeconds());
        out.put("maxClipSeconds", recordings.config().maxClipSeconds());
        out.put("storedBytes", recordings.storedBytes());
        out.put("maxBytes", recordings.config().maxBytes());
        out.put("writing", recordings.enabled() && !recordings.belowFloor());
        out.put("cameras", recordings.cameraNames().stream().map(n -> Map.of("name", n, "recording", recordings.recording(n))).toList());
        out.put("clips", recordings.clips(camera, day, kind).stream().map(ClipsWeb::json).toList());
        ctx.header("Cache-Control", "no-store");
        ctx.json(out);
    }

    static Map<String, Object> json(Clip c) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("id", c.id());
        j.put("camera", c.camera());
        j.put("kind", c.kind().label());
        j.put("why", c.why());
        j.put("start", c.start().toString());
        j.put("end", c.end().toString());
        j.put("duration", c.durationMs() / 1000.0);
        j.put("bytes", c.bytes());
        j.put("eventId", c.eventId());
        j.put("part", c.part());
        j.put("trigger", java.time.Instant.ofEpochMilli(c.triggerMs()).toString());
        j.put("preRoll", c.part() == 1 ? Math.max(0, c.triggerMs() - c.startMs()) / 1000.0 : 0.0);
        j.put("frames", c.frames());
        j.put("width", c.width());
        j.put("height", c.height());
        j.put("audio", c.audio());
        j.put("url", "/api/clips/" + c.id() + ".mp4");
        j.put("thumbnail", "/api/clips/" + c.id() + ".jpg");
        return j;
    }

    private void record(Context ctx) {
        gate.require(ctx);
        Optional<String> camera = param(ctx, "camera");
        if (camera.isEmpty()) {
            Answers.error(ctx, 400, "say which camera: POST /api/clips/record?camera=NAME; cameras: " + String.join(", ", recordings.cameraNames()));
            return;
        }
        int seconds;
        try {
            seconds = param(ctx, "seconds").map(Integer::parseInt).orElse(DEFAULT_SECONDS);
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < 1 || seconds > MAX_SECONDS) {
            Answers.error(ctx, 400, "'seconds' is a whole number from 1 to " + MAX_SECONDS);
            return;
        }
        switch (recordings.record(camera.get(), seconds)) {
            case RECORDING -> {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("camera", camera.get());
                out.put("recording", true);
                out.put("preRollSeconds", recordings.config().preRollSeconds());
                out.put("seconds", seconds);
                ctx.status(202).json(out);
            }
            case OFF -> Answers.error(ctx, 404, "recordings are off; set recordings.enabled: true in beeper.yaml");
            case NO_SUCH_CAMERA -> Answers.error(ctx, 404, "no camera '" + clip(camera.get()) + "'; cameras: "
                    + String.join(", ", recordings.cameraNames()));
            case NO_ROOM -> Answers.error(ctx, 507, "not recording: the disk is below recordings.minFreeBytes; free space or delete clips");
            case BUSY -> Answers.error(ctx, 503, "the recorder of '" + camera.get() + "' is behind; try again in a moment");
        }
    }

    private void file(Context ctx) {
        String file = ctx.pathParam("file");
        boolean mp4 = file.endsWith(".mp4");
        boolean jpg = file.endsWith(".jpg");
        String id = mp4 || jpg ? file.substring(0, file.length() - 4) : file;
        Optional<Clip> clip = recordings.clip(id);
        if (clip.isEmpty()) {
            Answers.error(ctx, 404, "no clip '" + clip(file) + "'; see GET /api/clips");
            return;
        }
        if (!mp4 && !jpg) {
            ctx.header("Cache-Control", "no-store");
            ctx.json(json(clip.get()));
            return;
        }
        try {
            if (mp4) {
                movie(ctx, id);
                return;
            }
            Optional<Path> path = recordings.thumbnail(id);
            if (path.isEmpty()) {
                Answers.error(ctx, 404, "clip '" + id + "' was deleted");
                return;
            }
            ctx.header("Cache-Control", "public, max-age=86400"); // a clip never changes
            ctx.contentType("image/jpeg").result(Files.readAllBytes(path.get()));
        } catch (IOException e) {
            Answers.error(ctx, 503, "clip '" + id + "' cannot be read: " + e.getMessage());
        }
    }

    /** The clip's MP4: its header then its samples, with Range requests. */
    private void movie(Context ctx, String id) throws IOException {
        Optional<Mp4Movie> movie = recordings.movie(id);
        if (movie.isEmpty()) {
            Answers.error(ctx, 404, "clip '" + id + "' was deleted");
            return;
        }
        long size = movie.get().size();
        if (pastEnd(ctx.header("Range"), size)) {
            // answered here: a range that starts past the end is the client's mistake, not a stream to wait for
            ctx.header("Content-Range", "bytes */" + size);
            Answers.error(ctx, 416, "clip '" + id + "' has " + size + " bytes; ask for a range within them");
            return;
        }
        ctx.header("Cache-Control", "public, max-age=86400"); // a clip never changes
        ctx.writeSeekableStream(movie.get().open(), "video/mp4", size);
    }

    /** Whether a {@code Range: bytes=FROM-...} header starts at or past the end of a file of {@code size} bytes. */
    static boolean pastEnd(String range, long size) {
        if (range == null) {
            return false;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s*bytes=(\\d{1,18})-.*").matcher(range);
        return m.matches() && Long.parseLong(m.group(1)) >= size;
    }

    private void delete(Context ctx) {
        gate.require(ctx);
        String id = ctx.pathParam("id");
        try {
            if (recordings.delete(id)) {
                ctx.status(204);
            } else {
                Answers.error(ctx, 404, "no clip '" + clip(id) + "'; see GET /api/clips");
            }
        } catch (IOException e) {
            Answers.error(ctx, 503, "clip '" + id + "' could not be deleted: " + e.getMessage());
        }
    }

    private static Optional<String> param(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    /** A name from the request, cut short for an answer. */
    private static String clip(String s) {
        return s.length() > 48 ? s.substring(0, 48) + "..." : s;
    }
}

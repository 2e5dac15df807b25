package io.beeperkeeper.web.timelapse;

import io.beeperkeeper.media.mp4.Mp4Movie;
import io.beeperkeeper.timelapse.TimelapseDay;
import io.beeperkeeper.timelapse.TimelapseFeature;
import io.beeperkeeper.web.Answers;
import io.beeperkeeper.web.WebModule;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP surface of the time-lapse: {@code GET /api/timelapse} (each camera's days and movies, and its
 * "yesterday in a minute"), {@code GET /api/timelapse/<camera>/<day>.mp4} (a day's movie, with
 * Range requests so a {@code <video>} can seek; today's holds what is kept so far) and
 * {@code GET /api/timelapse/<camera>/yesterday.mp4} (a redirect to yesterday's movie).
 */
public final class TimelapseWeb implements WebModule {
    private static final String YESTERDAY = "yesterday.mp4";
    private final TimelapseFeature timelapse;

    public TimelapseWeb(TimelapseFeature timelapse) {
        this.timelapse = timelapse;
    }

    @Override
    public void register(RoutesConfig app) {
        app.get("/api/timelapse", this::list);
        app.get("/api/timelapse/{camera}/{file}", this::movie);
    }

    private void list(Context ctx) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enabled", timelapse.enabled());
        out.put("intervalSeconds", timelapse.config().intervalSeconds());
        out.put("fps", timelapse.config().fps());
        out.put("today", timelapse.today().toString());
        List<Map<String, Object>> cameras = new ArrayList<>();
        for (String name : timelapse.cameraNames()) {
            String base = "/api/timelapse/" + name + "/";
            Map<String, Object> cam = new LinkedHashMap<>();
            cam.put("name", name);
            cam.put("yesterday", timelapse.yesterday(name).<Object>map(m -> movieJson(base, m)).orElse(null));
            List<Map<String, Object>> days = new ArrayList<>();
            for (TimelapseDay d : timelapse.days(name)) {
                Map<String, Object> day = new LinkedHashMap<>();
                day.put("day", d.day().toString());
                day.put("today", d.today());
                day.put("frames", d.frames());
                day.put("movies", d.movies().stream().map(m -> movieJson(base, m)).toList());
                days.add(day);
            }
            cam.put("days", days);
            cameras.add(cam);
        }
        out.put("cameras", cameras);
        ctx.header("Cache-Control", "no-store");
        ctx.json(out);
    }

    private static Map<String, Object> movieJson(String base, TimelapseDay.Movie m) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("file", m.file());
        j.put("url", base + m.file());
        j.put("part", m.part());
        j.put("frames", m.frames());
        j.put("seconds", m.seconds());
        j.put("width", m.width());
        j.put("height", m.height());
        j.put("bytes", m.bytes());
        return j;
    }

    private void movie(Context ctx) {
        if (!timelapse.enabled()) {
            Answers.error(ctx, 404, "the time-lapse is off; set timelapse.enabled: true in beeper.yaml");
            return;
        }
        String camera = ctx.pathParam("camera");
        if (!timelapse.cameraNames().contains(camera)) {
            Answers.error(ctx, 404, "no camera '" + camera + "'; cameras: " + String.join(", ", timelapse.cameraNames()));
            return;
        }
        String file = ctx.pathParam("file");
        if (file.equals(YESTERDAY)) {
            Optional<TimelapseDay.Movie> y = timelapse.yesterday(camera);
            if (y.isEmpty()) {
                Answers.error(ctx, 404, "camera '" + camera + "' kept no keyframe yesterday; see /api/timelapse for its days");
                return;
            }
            ctx.header("Cache-Control", "no-store");
            ctx.redirect(y.get().file()); // relative: also right behind a proxy that serves the hub under a sub-path
            return;
        }
        if (!TimelapseFeature.isMovieName(file)) {
            Answers.error(ctx, 404, "no such time-lapse '" + file + "'; movies are named DAY.mp4 (2026-12-01.mp4) or yesterday.mp4");
            return;
        }
        Optional<Mp4Movie> movie;
        try {
            movie = timelapse.movie(camera, file);
        } catch (IOException | RuntimeException e) {
            Answers.error(ctx, 503, "the time-lapse " + camera + "/" + file + " cannot be read: " + e.getMessage());
            return;
        }
        if (movie.isEmpty()) {
            Answers.error(ctx, 404, "camera '" + camera + "' has no time-lapse " + file + "; see /api/timelapse for its days");
            return;
        }
        try {
            boolean today = file.startsWith(timelapse.today().toString());
            // today's grows every interval: each request gets it as kept then (its length fixed in the header)
            ctx.header("Cache-Control", today ? "no-cache" : "public, max-age=3600");
            ctx.writeSeekableStream(movie.get().open(), "video/mp4", movie.get().size());
        } catch (IOException e) {
            // deleted by retention between the lookup and the read
            Answers.error(ctx, 503, "the time-lapse " + camera + "/" + file + " went while it was read; try again");
        }
    }
}

package io.beeperkeeper.web.motion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.config.ConfigException;
import io.beeperkeeper.config.MotionZone;
import io.beeperkeeper.feature.Json;
import io.beeperkeeper.motion.MotionEvent;
import io.beeperkeeper.motion.MotionFeature;
import io.beeperkeeper.web.Answers;
import io.beeperkeeper.web.JsonBodies;
import io.beeperkeeper.web.RequestGuards;
import io.beeperkeeper.web.WebModule;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP surface of motion detection: {@code GET /api/motion?camera=&from=&to=&limit=} (each camera's
 * state now, its zones and masks, and the events overlapping the time range, newest first; by default
 * the last 24 hours), {@code GET /api/motion/<id>/thumbnail.jpg} (an event's picture) and
 * {@code PUT /api/motion/<camera>/zones} with {@code {"zones": [...], "masks": [...]}} (polygons
 * {@code {name, points: [[x, y], ...]}} in fractions of the picture), which applies at once and is kept.
 */
public final class MotionWeb implements WebModule {
    private static final int MAX_LIMIT = 500;
    private static final int ZONES_MAX_BYTES = 32 * 1024;
    private final MotionFeature motion;
    private final ObjectMapper json = Json.newMapper();

    public MotionWeb(MotionFeature motion) {
        this.motion = motion;
    }

    @Override
    public void register(RoutesConfig app) {
        app.get("/api/motion", this::list);
        app.get("/api/motion/{id}/thumbnail.jpg", this::thumbnail);
        app.get("/api/motion/{camera}/zones", this::zones);
        app.put("/api/motion/{camera}/zones", this::putZones);
    }

    @Override
    public RequestGuards guards(RequestGuards guards) {
        return guards.allow("/api/motion/", ZONES_MAX_BYTES, "application/json");
    }

    private void list(Context ctx) {
        String camera = Optional.ofNullable(ctx.queryParam("camera")).orElse("");
        Instant to;
        Instant from;
        int limit;
        try {
            to = time(ctx.queryParam("to"), Instant.now());
            from = time(ctx.queryParam("from"), to.minus(Duration.ofDays(1)));
            limit = ctx.queryParam("limit") == null ? 100 : Integer.parseInt(ctx.queryParam("limit"));
        } catch (DateTimeParseException | NumberFormatException e) {
            Answers.error(ctx, 400, "from and to are times like 2026-12-01T22:00:00Z (or epoch milliseconds), limit a whole number");
            return;
        }
        if (!camera.isEmpty() && !motion.cameraNames().contains(camera)) {
            Answers.error(ctx, 404, "no motion detection on camera '" + camera + "'; cameras: " + String.join(", ", motion.cameraNames()));
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enabled", motion.enabled());
        out.put("from", from.toString());
        out.put("to", to.toString());
        List<Map<String, Object>> cameras = new ArrayList<>();
        for (String name : motion.cameraNames()) {
            motion.live(name).ifPresent(l -> {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("name", name);
                c.put("moving", l.moving());
                c.put("score", Math.round(l.score() * 1000) / 1000.0);
                c.put("night", l.night());
                c.put("event", l.event().map(MotionFeature::eventJson).orElse(null));
                c.put("zones", l.polygons().zones());
                c.put("masks", l.polygons().masks());
                c.put("sensitivity", l.settings().sensitivity());
                c.put("minArea", l.settings().minArea());
                cameras.add(c);
            });
        }
        out.put("cameras", cameras);
        try {
            List<MotionEvent> events = motion.enabled()
                    ? motion.events(camera, from, to, Math.max(1, Math.min(MAX_LIMIT, limit))) : List.of();
            out.put("events", events.stream().map(MotionFeature::eventJson).toList());
        } catch (IOException e) {
            Answers.error(ctx, 503, e.getMessage());
            return;
        }
        ctx.header("Cache-Control", "no-store");
        ctx.json(out);
    }

    private static Instant time(String text, Instant fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        return text.chars().allMatch(Character::isDigit) ? Instant.ofEpochMilli(Long.parseLong(text)) : Instant.parse(text);
    }

    private void thumbnail(Context ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            Answers.error(ctx, 404, "no motion event '" + ctx.pathParam("id") + "'; see GET /api/motion");
            return;
        }
        try {
            Optional<byte[]> jpeg = motion.enabled() ? motion.thumbnail(id) : Optional.empty();
            if (jpeg.isEmpty()) {
                Answers.error(ctx, 404, "no thumbnail of motion event " + id + "; see GET /api/motion");
                return;
            }
            ctx.header("Cache-Control", "max-age=3600");
            ctx.contentType("image/jpeg");
            ctx.result(jpeg.get());
        } catch (IOException e) {
            Answers.error(ctx, 503, e.getMessage());
        }
    }

    private void zones(Context ctx) {
        String camera = ctx.pathParam("camera");
        Optional<MotionFeature.Live> live = motion.live(camera);
        if (live.isEmpty()) {
            Answers.error(ctx, 404, noCamera(camera));
            return;
        }
        ctx.json(live.get().polygons());
    }

    private void putZones(Context ctx) {
        String camera = ctx.pathParam("camera");
        if (motion.live(camera).isEmpty()) {
            Answers.error(ctx, 404, noCamera(camera));
            return;
        }
        Optional<JsonNode> body = JsonBodies.object(ctx);
        MotionFeature.Polygons drawn;
        try {
            JsonNode b = body.orElseThrow(() -> new IllegalArgumentException("not a JSON object"));
            drawn = new MotionFeature.Polygons(polygons(b.get("zones")), polygons(b.get("masks")));
        } catch (IllegalArgumentException | IOException e) {
            Answers.error(ctx, 400, "send {\"zones\": [{\"name\": \"nest\", \"points\": [[x, y], ...]}], \"masks\": [...]} "
                    + "with x and y from 0 to 1 (" + e.getMessage() + ")");
            return;
        }
        try {
            ctx.json(motion.setPolygons(camera, drawn));
        } catch (ConfigException e) {
            Answers.error(ctx, 400, e.getMessage());
        } catch (IOException e) {
            Answers.error(ctx, 503, "cannot keep the zones: " + e.getMessage() + "; check that the data folder can be written");
        }
    }

    private List<MotionZone> polygons(JsonNode node) throws IOException {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("zones and masks are lists");
        }
        return List.of(json.treeToValue(node, MotionZone[].class));
    }

    private String noCamera(String camera) {
        return "no motion detection on camera '" + camera + "'; cameras: " + String.join(", ", motion.cameraNames());
    }
}

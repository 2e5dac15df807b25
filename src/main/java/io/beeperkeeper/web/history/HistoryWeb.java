package io.beeperkeeper.web.history;

import io.beeperkeeper.history.HistoryQuery;
import io.beeperkeeper.history.HistorySeries;
import io.beeperkeeper.history.HistoryStore;
import io.beeperkeeper.history.MetricInfo;
import io.beeperkeeper.history.UnknownMetricException;

import io.beeperkeeper.web.Answers;
import io.beeperkeeper.web.WebModule;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * HTTP surface of the history store: {@code GET /api/history} (buckets of one metric),
 * {@code GET /api/history/metrics} (what is stored) and the uPlot files from its WebJar under
 * {@code /vendor/uplot/}. Parses and checks the parameters; every bad one gets a 400 with the reason.
 */
public final class HistoryWeb implements WebModule {
    /** Must match the org.webjars.npm:uplot version in pom.xml. */
    public static final String UPLOT_VERSION = "1.6.30";
    private static final String UPLOT_DIR = "META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/";
    private static final Map<String, String> UPLOT_FILES = Map.of(
            "uPlot.esm.js", "dist/uPlot.esm.js",
            "uPlot.min.css", "dist/uPlot.min.css",
            "LICENSE", "LICENSE");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Duration DEFAULT_SPAN = Duration.ofHours(24);
    private static final Duration MAX_SPAN = Duration.ofDays(366L * 20);
    private static final int DEFAULT_POINTS = 1000;

    private final Supplier<HistoryStore> store;
    private final Clock clock;

    public HistoryWeb(HistoryStore store, Clock clock) {
        this(() -> store, clock);
    }

    /** @param store the store once history has started (the hub's routes exist before its parts are up) */
    public HistoryWeb(Supplier<HistoryStore> store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public void register(RoutesConfig app) {
        app.get("/api/history/metrics", this::metrics);
        app.get("/api/history", this::history);
        app.get("/vendor/uplot/{file}", this::uplot);
    }

    private void metrics(Context ctx) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (MetricInfo m : store.get().metrics()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("metric", m.metric());
            row.put("node", m.node());
            row.put("unit", m.unit());
            row.put("first", m.first().toString());
            row.put("last", m.last().toString());
            row.put("derived", m.derived());
            out.add(row);
        }
        ctx.json(Map.of("metrics", out));
    }

    private void history(Context ctx) {
        HistoryQuery q;
        try {
            q = parse(ctx.queryParamMap().entrySet().stream()
                    .collect(LinkedHashMap::new, (m, e) -> m.put(e.getKey(), e.getValue().isEmpty() ? "" : e.getValue().get(0)),
                            Map::putAll), clock.instant());
        } catch (IllegalArgumentException e) {
            Answers.error(ctx, 400, e.getMessage());
            return;
        }
        HistorySeries s;
        try {
            s = store.get().query(q);
        } catch (UnknownMetricException e) {
            Answers.error(ctx, 400, e.getMessage());
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("metric", s.metric());
        out.put("node", s.node());
        out.put("unit", s.unit());
        out.put("from", s.from().toString());
        out.put("to", s.to().toString());
        out.put("resolution", s.resolution().label());
        out.put("stepSeconds", s.stepSeconds());
        out.put("count", s.size());
        out.put("t", s.t());
        out.put("min", s.min());
        out.put("mean", s.mean());
        out.put("max", s.max());
        ctx.header("Cache-Control", "no-store");
        ctx.json(out);
    }

    private void uplot(Context ctx) throws IOException {
        String name = ctx.pathParam("file");
        String path = UPLOT_FILES.get(name);
        if (path == null) {
            Answers.error(ctx, 404, "no such file; available: " + String.join(", ", UPLOT_FILES.keySet()));
            return;
        }
        InputStream in = HistoryWeb.class.getClassLoader().getResourceAsStream(UPLOT_DIR + path);
        if (in == null) {
            Answers.error(ctx, 500, "uPlot " + UPLOT_VERSION + " WebJar is missing from the build");
            return;
        }
        try (in) {
            ctx.contentType(name.endsWith(".js") ? "text/javascript; charset=utf-8"
                    : name.endsWith(".css") ? "text/css; charset=utf-8" : "text/plain; charset=utf-8");
            ctx.header("Cache-Control", "public, max-age=86400");
            ctx.result(in.readAllBytes());
        }
    }

    /**
     * The query asked for: {@code metric} (required), {@code node}, {@code from} and {@code to} (ISO-8601
     * such as 2026-03-01T00:00:00Z, or epoch seconds, or epoch milliseconds when above 10^11; default:
     * the last 24 hours), {@code points} (1-10000, default 1000).
     *
     * @throws IllegalArgumentException with the reason, for a 400
     */
    static HistoryQuery parse(Map<String, String> params, Instant now) {
        String metric = params.get("metric");
        if (metric == null || metric.isBlank()) {
            throw new IllegalArgumentException("missing parameter 'metric' (see /api/history/metrics for the names)");
        }
        if (!NAME.matcher(metric).matches()) {
            throw new IllegalArgumentException("bad metric name '" + abbreviate(metric) + "': 1-64 letters, digits, '_', '.', '-'");
        }
        String node = params.get("node");
        if (node != null && !node.isEmpty() && !NAME.matcher(node).matches()) {
            throw new IllegalArgumentException("bad node name '" + abbreviate(node) + "': 1-64 letters, digits, '_', '.', '-'");
        }
        Instant to = params.containsKey("to") ? time("to", params.get("to")) : now;
        Instant from = params.containsKey("from") ? time("from", params.get("from")) : to.minus(DEFAULT_SPAN);
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("'from' (" + from + ") must be before 'to' (" + to + ")");
        }
        if (Duration.between(from, to).compareTo(MAX_SPAN) > 0) {
            throw new IllegalArgumentException("the range from " + from + " to " + to + " is longer than 20 years");
        }
        int points = DEFAULT_POINTS;
        String p = params.get("points");
        if (p != null) {
            try {
                points = Integer.parseInt(p.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'points' must be a whole number from 1 to " + HistoryQuery.MAX_POINTS + ", got '" + abbreviate(p) + "'");
            }
            if (points < 1 || points > HistoryQuery.MAX_POINTS) {
                throw new IllegalArgumentException("'points' must be from 1 to " + HistoryQuery.MAX_POINTS + ", got " + points);
            }
        }
        return new HistoryQuery(metric, node == null || node.isEmpty() ? null : node, from, to, points);
    }

    private static Instant time(String name, String raw) {
        Instant t = parseTime(name, raw);
        if (t.isBefore(HistoryQuery.EARLIEST) || t.isAfter(HistoryQuery.LATEST)) {
            throw new IllegalArgumentException("'" + name + "' is out of range: " + abbreviate(raw.trim())
                    + "; give a time from year 0000 to 9999, such as 2026-03-01T00:00:00Z");
        }
        return t;
    }

    private static Instant parseTime(String name, String raw) {
        String v = raw == null ? "" : raw.trim();
        if (v.isEmpty()) {
            throw new IllegalArgumentException("'" + name + "' is empty: give an ISO-8601 time such as 2026-03-01T00:00:00Z or epoch seconds");
        }
        if (v.matches("-?\\d{1,19}(\\.\\d{1,9})?")) {
            try {
                BigDecimal n = new BigDecimal(v);
                if (n.abs().compareTo(BigDecimal.valueOf(100_000_000_000L)) > 0) {
                    return Instant.ofEpochMilli(n.longValueExact());
                }
                long seconds = n.longValue();
                long nanos = n.subtract(BigDecimal.valueOf(seconds)).movePointRight(9).longValue();
                return Instant.ofEpochSecond(seconds, nanos);
            } catch (ArithmeticException | java.time.DateTimeException e) {
                throw new IllegalArgumentException("'" + name + "' is out of range: " + abbreviate(v));
            }
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + name + "' is not a time: '" + abbreviate(v)
                    + "'; give ISO-8601 with a zone such as 2026-03-01T00:00:00Z, or epoch seconds");
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}

package io.beeperkeeper.web.alerts;

import io.beeperkeeper.alerts.AlertEngine;
import io.beeperkeeper.alerts.AlertHistory;
import io.beeperkeeper.alerts.AlertView;
import io.beeperkeeper.alerts.AlertsFeature;
import io.beeperkeeper.viewers.ViewerIdentity;
import io.beeperkeeper.web.Answers;
import io.beeperkeeper.web.WebModule;
import io.beeperkeeper.web.viewers.IdentityGate;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * HTTP surface of the alerts: {@code GET /api/alerts} (active alerts first, then every rule with its
 * state), {@code GET /api/alerts/history} (past alerts, newest first, paged with {@code before=<id>},
 * {@code limit}, filtered by {@code rule}) and {@code POST /api/alerts/<id>/ack} (stops the reminders
 * until the rule clears; the request guards apply, as to every state-changing request).
 */
public final class AlertsWeb implements WebModule {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,47}");
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;

    private final AlertsFeature alerts;
    private final IdentityGate gate;

    public AlertsWeb(AlertsFeature alerts, IdentityGate gate) {
        this.alerts = alerts;
        this.gate = gate;
    }

    @Override
    public void register(RoutesConfig app) {
        app.get("/api/alerts", this::list);
        app.get("/api/alerts/history", this::history);
        app.post("/api/alerts/{id}/ack", this::ack);
    }

    private void list(Context ctx) {
        gate.require(ctx);
        ctx.header("Cache-Control", "no-store");
        if (!alerts.enabled()) {
            ctx.json(Map.of("enabled", false, "active", List.of(), "rules", List.of()));
            return;
        }
        AlertEngine engine = alerts.engine();
        List<AlertView> views = engine.views();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enabled", true);
        out.put("active", views.stream().filter(v -> v.state().equals("firing"))
                .sorted((a, b) -> rank(b.severity()) - rank(a.severity())).map(AlertView::toJson).toList());
        out.put("pending", views.stream().filter(v -> v.state().equals("pending")).map(AlertView::toJson).toList());
        out.put("rules", views.stream().map(AlertView::toJson).toList());
        out.put("deliveries", alerts.deliveries().stream().filter(s -> !s.name().equals("history")).map(s -> Map.of(
                "channel", s.name(), "sent", s.sent(), "retries", s.retries(), "failed", s.failed(),
                "notSentSimulated", s.skippedSimulated())).toList());
        ctx.json(out);
    }

    private static int rank(String severity) {
        return switch (severity) {
            case "critical" -> 2;
            case "warning" -> 1;
            default -> 0;
        };
    }

    private void history(Context ctx) {
        gate.require(ctx);
        if (!alerts.enabled()) {
            ctx.json(Map.of("alerts", List.of()));
            return;
        }
        String rule = ctx.queryParam("rule");
        if (rule != null && rule.isBlank()) {
            rule = null;
        }
        if (rule != null && !ID.matcher(rule).matches()) {
            Answers.error(ctx, 400, "bad rule id; see GET /api/alerts for the rules");
            return;
        }
        long before;
        int limit;
        try {
            String b = ctx.queryParam("before");
            before = b == null || b.isBlank() ? 0 : Long.parseLong(b.trim());
            String l = ctx.queryParam("limit");
            limit = l == null || l.isBlank() ? DEFAULT_LIMIT : Integer.parseInt(l.trim());
        } catch (NumberFormatException e) {
            Answers.error(ctx, 400, "'before' and 'limit' must be whole numbers");
            return;
        }
        if (limit < 1 || limit > MAX_LIMIT || before < 0) {
            Answers.error(ctx, 400, "'limit' must be from 1 to " + MAX_LIMIT + " and 'before' an alert id");
            return;
        }
        List<AlertHistory.Entry> page = alerts.history().page(rule, before, limit);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("alerts", page.stream().map(AlertHistory.Entry::toJson).toList());
        out.put("next", page.size() == limit ? page.get(page.size() - 1).id() : null);
        ctx.header("Cache-Control", "no-store");
        ctx.json(out);
    }

    private void ack(Context ctx) {
        ViewerIdentity me = gate.require(ctx);
        String id = ctx.pathParam("id");
        if (!alerts.enabled() || !ID.matcher(id).matches()) {
            Answers.error(ctx, 404, "no alert rule '" + (id.length() > 48 ? id.substring(0, 48) : id) + "'");
            return;
        }
        AlertEngine.AckResult r = alerts.engine().acknowledge(id, me.name());
        switch (r) {
            case ACKNOWLEDGED, ALREADY -> ctx.json(alerts.engine().view(id).orElseThrow().toJson());
            case NOT_FIRING -> Answers.error(ctx, 409, "alert '" + id + "' is not firing; nothing to acknowledge");
            default -> Answers.error(ctx, 404, "no alert rule '" + id + "'; see GET /api/alerts");
        }
    }
}

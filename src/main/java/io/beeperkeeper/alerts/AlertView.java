package io.beeperkeeper.alerts;

import java.time.Instant;

/**
 * A rule as the keeper sees it now: state, severity, since when (firing since, or pending since),
 * the current value with its unit and what it means, and who acknowledged it. {@code simulated}: the
 * figure comes from a simulated sensor, so no notification is sent for it.
 */
public record AlertView(String id, String title, String severity, String state, Instant since, Double value,
                        String unit, String detail, boolean acknowledged, String acknowledgedBy, Instant acknowledgedAt,
                        boolean simulated, String source) {

    /** As JSON for the page, the API and the channels: times in ISO-8601 UTC. */
    public java.util.Map<String, Object> toJson() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("id", id);
        m.put("title", title);
        m.put("severity", severity);
        m.put("state", state);
        m.put("since", since == null ? null : since.toString());
        m.put("value", value);
        m.put("unit", unit);
        m.put("detail", detail);
        m.put("acknowledged", acknowledged);
        m.put("acknowledgedBy", acknowledgedBy);
        m.put("acknowledgedAt", acknowledgedAt == null ? null : acknowledgedAt.toString());
        m.put("simulated", simulated);
        m.put("source", source);
        return m;
    }
}

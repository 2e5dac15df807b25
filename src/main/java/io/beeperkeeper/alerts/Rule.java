package io.beeperkeeper.alerts;

import java.time.Duration;

/**
 * One alert rule: its id (in URLs, MQTT topics and the state file), a title for the keeper, its
 * severity (a condition may raise it), how long the condition must hold before the rule fires, the
 * condition itself, and where its figures come from ({@code source}, shown in the panel and docs).
 */
record Rule(String id, String title, Severity severity, Duration forDuration, Condition condition, String unit,
                   String source) {
    public Rule {
        if (id == null || !id.matches("[a-z0-9][a-z0-9-]{0,47}")) {
            throw new IllegalArgumentException("bad rule id " + id);
        }
        unit = unit == null ? "" : unit;
        source = source == null ? "" : source;
    }
}

package io.beeperkeeper.alerts;

import java.util.LinkedHashMap;
import java.util.Map;

/** The words and the JSON of a notification, the same on every channel. */
final class Messages {
    private Messages() {
    }

    /** "Heat stress (THI): firing", "... resolved". */
    static String subject(AlertEvent e, String node) {
        String what = switch (e.type()) {
            case FIRING -> e.alert().severity().equals("critical") ? "CRITICAL" : "firing";
            case REMINDER -> "still firing";
            case ESCALATED -> "worse: " + e.alert().severity();
            case RESOLVED -> "resolved";
            default -> e.type().label();
        };
        return "[" + node + "] " + e.alert().title() + ": " + what;
    }

    static String body(AlertEvent e) {
        AlertView a = e.alert();
        StringBuilder sb = new StringBuilder();
        sb.append(a.detail() == null ? "" : a.detail()).append('\n');
        if (a.since() != null) {
            sb.append(e.type() == AlertEvent.Type.RESOLVED ? "Resolved at " : "Since ").append(a.since()).append('\n');
        }
        sb.append("Severity: ").append(a.severity()).append('\n');
        if (!a.source().isEmpty()) {
            sb.append("Rule: ").append(a.source()).append('\n');
        }
        return sb.toString();
    }

    static Map<String, Object> json(AlertEvent e, String node) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", e.type().label());
        m.put("node", node);
        m.put("at", e.at().toString());
        m.put("episode", e.episode());
        m.put("alert", e.alert().toJson());
        return m;
    }
}

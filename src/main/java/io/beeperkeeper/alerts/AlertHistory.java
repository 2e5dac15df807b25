package io.beeperkeeper.alerts;

import io.beeperkeeper.feature.Sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

/**
 * Past alerts in the hub's SQLite file ({@code beeper.db}, table {@code alert_history}): one row per
 * time a rule fired, from when to when, its worst severity, who acknowledged it. Written by the
 * dispatcher as a channel (on its own thread, so the rules never wait for the disk), trimmed to the
 * newest {@link #KEEP} rows. One connection under this object's lock: alerts are rare.
 */
public final class AlertHistory implements Channel, AutoCloseable {
    static final int KEEP = 10_000;

    /** One past (or still firing) alert. */
    public record Entry(long id, String rule, String title, String severity, Instant started, Instant ended,
                        Double value, String detail, Instant acknowledgedAt, String acknowledgedBy, boolean simulated) {
        /** As JSON for the API: times in ISO-8601 UTC, {@code ended} null while it is still firing. */
        public java.util.Map<String, Object> toJson() {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("id", id);
            m.put("rule", rule);
            m.put("title", title);
            m.put("severity", severity);
            m.put("started", started.toString());
            m.put("ended", ended == null ? null : ended.toString());
            m.put("value", value);
            m.put("detail", detail);
            m.put("acknowledgedAt", acknowledgedAt == null ? null : acknowledgedAt.toString());
            m.put("acknowledgedBy", acknowledgedBy);
            m.put("simulated", simulated);
            return m;
        }
    }

    private final Connection db;

    AlertHistory(Path databaseFile) {
        try {
            db = Sqlite.open(databaseFile,
                    "CREATE TABLE IF NOT EXISTS alert_history (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                            + "episode TEXT NOT NULL UNIQUE, rule TEXT NOT NULL, title TEXT NOT NULL, severity TEXT NOT NULL, "
                            + "started INTEGER NOT NULL, ended INTEGER, value REAL, detail TEXT, "
                            + "acknowledged_at INTEGER, acknowledged_by TEXT, simulated INTEGER NOT NULL DEFAULT 0)",
                    "CREATE INDEX IF NOT EXISTS alert_history_rule ON alert_history(rule, id)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the alert history in " + databaseFile + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return "history";
    }

    @Override
    public boolean wants(AlertEvent e) {
        return e.episode() != null && switch (e.type()) {
            case FIRING, ESCALATED, ACKNOWLEDGED, RESOLVED -> true;
            default -> false;
        };
    }

    @Override
    public boolean notifies() {
        return false;
    }

    @Override
    public synchronized void send(AlertEvent e) throws SQLException {
        AlertView a = e.alert();
        if (e.type() == AlertEvent.Type.FIRING) {
            try (PreparedStatement p = db.prepareStatement("INSERT OR IGNORE INTO alert_history(episode, rule, title, severity, "
                    + "started, value, detail, simulated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                p.setString(1, e.episode());
                p.setString(2, a.id());
                p.setString(3, a.title());
                p.setString(4, a.severity());
                p.setLong(5, a.since() == null ? e.at().toEpochMilli() : a.since().toEpochMilli());
                setValue(p, 6, a.value());
                p.setString(7, a.detail());
                p.setInt(8, a.simulated() ? 1 : 0);
                if (p.executeUpdate() > 0) {
                    trim();
                }
            }
            return;
        }
        String sql = switch (e.type()) {
            case ESCALATED -> "UPDATE alert_history SET severity = CASE WHEN ? = 'critical' OR severity = 'info' THEN ? ELSE severity END, "
                    + "value = ?, detail = ? WHERE episode = ?";
            case ACKNOWLEDGED -> "UPDATE alert_history SET acknowledged_at = ?, acknowledged_by = ? WHERE episode = ?";
            default -> "UPDATE alert_history SET ended = ?, value = COALESCE(?, value) WHERE episode = ? AND ended IS NULL";
        };
        try (PreparedStatement p = db.prepareStatement(sql)) {
            switch (e.type()) {
                case ESCALATED -> {
                    p.setString(1, a.severity());
                    p.setString(2, a.severity());
                    setValue(p, 3, a.value());
                    p.setString(4, a.detail());
                    p.setString(5, e.episode());
                }
                case ACKNOWLEDGED -> {
                    p.setLong(1, a.acknowledgedAt() == null ? e.at().toEpochMilli() : a.acknowledgedAt().toEpochMilli());
                    p.setString(2, a.acknowledgedBy());
                    p.setString(3, e.episode());
                }
                default -> {
                    p.setLong(1, e.at().toEpochMilli());
                    setValue(p, 2, a.value());
                    p.setString(3, e.episode());
                }
            }
            p.executeUpdate();
        }
    }

    private static void setValue(PreparedStatement p, int i, Double v) throws SQLException {
        if (v == null) {
            p.setNull(i, java.sql.Types.REAL);
        } else {
            p.setDouble(i, v);
        }
    }

    private void trim() throws SQLException {
        try (Statement s = db.createStatement()) {
            s.executeUpdate("DELETE FROM alert_history WHERE id <= (SELECT MAX(id) FROM alert_history) - " + KEEP);
        }
    }

    /**
     * Newest first: at most {@code limit} alerts with an id below {@code beforeId} (0: from the newest),
     * of one rule or of all ({@code rule} null).
     */
    public synchronized List<Entry> page(String rule, long beforeId, int limit) {
        String sql = "SELECT id, rule, title, severity, started, ended, value, detail, acknowledged_at, acknowledged_by, simulated "
                + "FROM alert_history WHERE id < ?" + (rule == null ? "" : " AND rule = ?") + " ORDER BY id DESC LIMIT ?";
        long before = beforeId <= 0 ? Long.MAX_VALUE : beforeId;
        Object[] params = rule == null ? new Object[] {before, limit} : new Object[] {before, rule, limit};
        try {
            return Sqlite.rows(db, sql, AlertHistory::entry, params);
        } catch (SQLException e) {
            throw new IllegalStateException("alert history not readable: " + e.getMessage(), e);
        }
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        long ended = rs.getLong(6);
        boolean open = rs.wasNull();
        double v = rs.getDouble(7);
        boolean noValue = rs.wasNull();
        long ack = rs.getLong(9);
        boolean noAck = rs.wasNull();
        return new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                Instant.ofEpochMilli(rs.getLong(5)), open ? null : Instant.ofEpochMilli(ended),
                noValue ? null : v, rs.getString(8), noAck ? null : Instant.ofEpochMilli(ack),
                rs.getString(10), rs.getInt(11) != 0);
    }

    @Override
    public synchronized void close() {
        Sqlite.closeQuietly(db);
    }
}

package io.beeperkeeper.motion;

import io.beeperkeeper.feature.Sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The motion events of every camera, with their thumbnail JPEG, in table {@code motion_events} of the
 * hub's SQLite file: a row is written when an event starts and completed when it ends, so an event
 * the hub was stopped in is kept (without an end). Events older than the retention are deleted.
 * One connection, used by one thread at a time (the methods are synchronized).
 */
final class MotionStore implements AutoCloseable {
    private static final String COLUMNS = "id, camera, start_ms, end_ms, start_us, end_us, peak, zone, night";
    private final Path file;
    private Connection db;

    MotionStore(Path file) {
        this.file = file;
    }

    synchronized void open() throws SQLException {
        db = Sqlite.open(file,
                "CREATE TABLE IF NOT EXISTS motion_events (id INTEGER PRIMARY KEY AUTOINCREMENT, camera TEXT NOT NULL, "
                        + "start_ms INTEGER NOT NULL, end_ms INTEGER, start_us INTEGER NOT NULL, end_us INTEGER, "
                        + "peak REAL NOT NULL, zone TEXT NOT NULL, night INTEGER NOT NULL, thumbnail BLOB)",
                "CREATE INDEX IF NOT EXISTS motion_events_camera ON motion_events(camera, start_ms)",
                "CREATE INDEX IF NOT EXISTS motion_events_start ON motion_events(start_ms)");
    }

    /** Stores a started event; returns its id. */
    synchronized long insert(MotionEvent e, byte[] thumbnail) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("INSERT INTO motion_events(camera, start_ms, start_us, peak, zone, night, thumbnail) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            p.setString(1, e.camera());
            p.setLong(2, e.start().toEpochMilli());
            p.setLong(3, e.startUs());
            p.setDouble(4, e.peak());
            p.setString(5, e.zone());
            p.setInt(6, e.night() ? 1 : 0);
            p.setBytes(7, thumbnail.length == 0 ? null : thumbnail);
            p.executeUpdate();
            try (ResultSet keys = p.getGeneratedKeys()) {
                return keys.next() ? keys.getLong(1) : 0;
            }
        }
    }

    /** Completes an event with its end, peak, zone and (when not empty) the thumbnail of its peak. */
    synchronized void finish(MotionEvent e, byte[] thumbnail) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("UPDATE motion_events SET end_ms = ?, end_us = ?, peak = ?, zone = ?, "
                + "thumbnail = COALESCE(?, thumbnail) WHERE id = ?")) {
            p.setLong(1, e.end().orElse(e.start()).toEpochMilli());
            p.setLong(2, e.endUs());
            p.setDouble(3, e.peak());
            p.setString(4, e.zone());
            p.setBytes(5, thumbnail.length == 0 ? null : thumbnail);
            p.setLong(6, e.id());
            p.executeUpdate();
        }
    }

    /**
     * Events that overlap {@code [from, to]}, newest first.
     *
     * @param camera empty for every camera
     */
    synchronized List<MotionEvent> events(String camera, Instant from, Instant to, int limit) throws SQLException {
        return Sqlite.rows(db, "SELECT " + COLUMNS + " FROM motion_events WHERE (? = '' OR camera = ?) AND start_ms <= ? "
                        + "AND COALESCE(end_ms, start_ms) >= ? ORDER BY start_ms DESC, id DESC LIMIT ?",
                MotionStore::event, camera, camera, to.toEpochMilli(), from.toEpochMilli(), limit);
    }

    synchronized Optional<MotionEvent> event(long id) throws SQLException {
        return Sqlite.rows(db, "SELECT " + COLUMNS + " FROM motion_events WHERE id = ?", MotionStore::event, id).stream().findFirst();
    }

    synchronized Optional<byte[]> thumbnail(long id) throws SQLException {
        return Sqlite.rows(db, "SELECT thumbnail FROM motion_events WHERE id = ? AND thumbnail IS NOT NULL",
                rs -> rs.getBytes(1), id).stream().findFirst();
    }

    /** Deletes events that started before {@code before}; returns how many. */
    synchronized int deleteBefore(Instant before) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("DELETE FROM motion_events WHERE start_ms < ?")) {
            p.setLong(1, before.toEpochMilli());
            return p.executeUpdate();
        }
    }

    private static MotionEvent event(ResultSet rs) throws SQLException {
        long end = rs.getLong("end_ms");
        boolean ended = !rs.wasNull();
        long endUs = rs.getLong("end_us");
        return new MotionEvent(rs.getLong("id"), rs.getString("camera"), Instant.ofEpochMilli(rs.getLong("start_ms")),
                ended ? Optional.of(Instant.ofEpochMilli(end)) : Optional.empty(), rs.getLong("start_us"),
                ended ? endUs : -1, rs.getDouble("peak"), rs.getString("zone"), rs.getInt("night") == 1);
    }

    @Override
    public synchronized void close() {
        if (db != null) {
            Sqlite.closeQuietly(db);
            db = null;
        }
    }
}

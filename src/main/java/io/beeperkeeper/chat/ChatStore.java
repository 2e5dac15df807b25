package io.beeperkeeper.chat;

import io.beeperkeeper.feature.Sqlite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Chat history in the hub's SQLite database ({@code <data>/beeper.db}, table {@code chat_messages}),
 * capped at {@code historyLimit} messages. Ids come from AUTOINCREMENT, so they are never reused after
 * old messages are trimmed and {@code since=<id>} stays meaningful across restarts. One connection,
 * used under this object's lock: chat traffic is tiny.
 */
public final class ChatStore implements AutoCloseable {
    private final Connection db;
    private final int historyLimit;

    public ChatStore(Path databaseFile, int historyLimit) {
        this.historyLimit = historyLimit;
        try {
            Path parent = databaseFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data folder for " + databaseFile + ": " + e.getMessage(), e);
        }
        try {
            db = Sqlite.open(databaseFile, "CREATE TABLE IF NOT EXISTS chat_messages ("
                    + "id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT NOT NULL, message TEXT NOT NULL, "
                    + "timestamp INTEGER NOT NULL)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the chat database " + databaseFile + ": " + e.getMessage(), e);
        }
    }

    public synchronized ChatMessage append(String username, String message, long epochSeconds) {
        try (PreparedStatement ins = db.prepareStatement(
                "INSERT INTO chat_messages(username, message, timestamp) VALUES (?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            ins.setString(1, username);
            ins.setString(2, message);
            ins.setLong(3, epochSeconds);
            ins.executeUpdate();
            long id;
            try (ResultSet keys = ins.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
            try (PreparedStatement trim = db.prepareStatement("DELETE FROM chat_messages WHERE id <= ?")) {
                trim.setLong(1, id - historyLimit);
                trim.executeUpdate();
            }
            return new ChatMessage(id, username, message, epochSeconds);
        } catch (SQLException e) {
            throw new ChatStoreException("cannot store a chat message: " + e.getMessage(), e);
        }
    }

    /** The newest {@code limit} messages with an id above {@code afterId} (0 for all), oldest first. */
    public synchronized List<ChatMessage> newest(long afterId, int limit) {
        try {
            List<ChatMessage> out = new ArrayList<>(Sqlite.rows(db,
                    "SELECT id, username, message, timestamp FROM chat_messages WHERE id > ? ORDER BY id DESC LIMIT ?",
                    rs -> new ChatMessage(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4)), afterId, limit));
            java.util.Collections.reverse(out);
            return out;
        } catch (SQLException e) {
            throw new ChatStoreException("cannot read chat messages: " + e.getMessage(), e);
        }
    }

    public synchronized long count() {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM chat_messages")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new ChatStoreException("cannot count chat messages: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        Sqlite.closeQuietly(db);
    }
}

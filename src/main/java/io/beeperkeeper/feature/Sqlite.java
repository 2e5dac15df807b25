package io.beeperkeeper.feature;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The small tables features keep in the hub's SQLite file beside the history (chat messages, past
 * alerts): each opens one connection the same way (waits up to 5 s for the file's write lock, which
 * the history writer holds at times; WAL, so a reader never waits for a writer) and reads its pages of
 * rows with {@link #rows}. The history store keeps its own connections ({@code HistoryDb}).
 */
public final class Sqlite {
    /**
     * Each connection's page cache, in SQLite's terms (negative: KiB): 256 KiB instead of SQLite's 2 MB,
     * as the hub keeps six connections open and the kernel's page cache holds the file as well.
     */
    public static final String CACHE_SIZE = "-256";

    private Sqlite() {
    }

    /** Reads one row of a result into a value. */
    @FunctionalInterface
    public interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** A connection to {@code file}, with the statements that create the feature's tables run once. */
    public static Connection open(Path file, String... schema) throws SQLException {
        Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA busy_timeout=5000");
            s.execute("PRAGMA cache_size=" + CACHE_SIZE);
            s.execute("PRAGMA journal_mode=WAL");
            for (String sql : schema) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            closeQuietly(db);
            throw e;
        }
        return db;
    }

    /** Every row {@code sql} selects with {@code params} bound in order, in the order the query gives. */
    public static <T> List<T> rows(Connection db, String sql, Row<T> row, Object... params) throws SQLException {
        try (PreparedStatement p = db.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                p.setObject(i + 1, params[i]);
            }
            List<T> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(row.read(rs));
                }
            }
            return out;
        }
    }

    /** Closes at shutdown: an error there leaves nothing to do. */
    public static void closeQuietly(Connection db) {
        try {
            db.close();
        } catch (SQLException e) {
            // closing at shutdown: nothing left to do with the error
        }
    }
}

package io.beeperkeeper.history;

import io.beeperkeeper.feature.Sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The store's SQLite connections and schema: one write connection (the writer thread's, never in
 * autocommit) and a small pool of read-only connections for queries, so a chart never waits for a
 * commit (WAL mode lets readers and the writer work at once).
 */
final class HistoryDb implements AutoCloseable {
    private static final int READERS = 2;

    private final Path file;
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private volatile Connection writer;

    private HistoryDb(Path file) {
        this.file = file;
    }

    /** Opens the file (creating the tables when new) with its write connection and read pool. */
    static HistoryDb open(Path file) throws SQLException {
        HistoryDb db = new HistoryDb(file);
        try {
            db.writer = connect(file);
            db.initSchema();
            for (int i = 0; i < READERS; i++) {
                Connection r = connect(file);
                try (Statement st = r.createStatement()) {
                    st.execute("PRAGMA query_only=1");
                }
                r.setAutoCommit(false);
                db.readers.add(r);
            }
            db.writer.setAutoCommit(false);
            return db;
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private static Connection connect(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout=10000");
            st.execute("PRAGMA cache_size=" + Sqlite.CACHE_SIZE);
        }
        return c;
    }

    private void initSchema() throws SQLException {
        try (Statement st = writer.createStatement()) {
            // Small pages: a commit writes whole pages, and ours touch only a few rows each (SD card wear).
            // Only takes effect on a new, empty file; an existing file keeps its page size.
            st.execute("PRAGMA page_size=1024");
            st.execute("PRAGMA journal_mode=WAL");
            // FULL: each commit is on the card before we go on, so a power cut loses at most the last batch.
            st.execute("PRAGMA synchronous=FULL");
            // A 10 MB log before each checkpoint: a page rewritten by many commits reaches the file once.
            st.execute("PRAGMA wal_autocheckpoint=10000");
            st.execute("CREATE TABLE IF NOT EXISTS hist_series(id INTEGER PRIMARY KEY, node TEXT NOT NULL, "
                    + "metric TEXT NOT NULL, unit TEXT NOT NULL DEFAULT '', first_t INTEGER, last_t INTEGER, "
                    + "UNIQUE(node, metric))");
            st.execute("CREATE TABLE IF NOT EXISTS hist_raw(t INTEGER NOT NULL, series INTEGER NOT NULL, "
                    + "v REAL NOT NULL, PRIMARY KEY(t, series)) WITHOUT ROWID");
            for (String table : List.of("hist_1m", "hist_1h")) {
                st.execute("CREATE TABLE IF NOT EXISTS " + table + "(series INTEGER NOT NULL, t INTEGER NOT NULL, "
                        + "mn REAL NOT NULL, mx REAL NOT NULL, sm REAL NOT NULL, c INTEGER NOT NULL, "
                        + "PRIMARY KEY(series, t)) WITHOUT ROWID");
            }
            st.execute("CREATE TABLE IF NOT EXISTS hist_meta(k TEXT PRIMARY KEY, v TEXT NOT NULL)");
        }
    }

    Path file() {
        return file;
    }

    /** The write connection: the writer thread's (and the opening thread's before the writer starts). */
    Connection writer() {
        return writer;
    }

    /**
     * Ends the writer's transaction after a failed write. When SQLite has already rolled it back by
     * itself (a full disk, an I/O error), the driver's rollback fails and would leave the connection
     * outside any transaction, so that every later commit fails with "no transaction is active" even
     * once space returns: then the connection is replaced by a fresh one.
     */
    void abandonWrite() {
        try {
            writer.rollback();
            return;
        } catch (SQLException e) {
            // SQLite ended the transaction itself: start over on a new connection below
        }
        Connection fresh;
        try {
            fresh = connect(file);
            fresh.setAutoCommit(false);
        } catch (SQLException e) {
            return; // the next write fails again, reports why and comes back here
        }
        Connection old = writer;
        writer = fresh;
        try {
            old.close();
        } catch (SQLException ignored) {
            // it is being replaced anyway
        }
    }

    /** Runs a read on a pooled read-only connection, in one snapshot. */
    <T> T read(SqlRead<T> read) throws SQLException {
        Connection c = borrowReader();
        try {
            return read.apply(c);
        } finally {
            try {
                c.rollback(); // ends the read snapshot
            } catch (SQLException ignored) {
                // connection broken: the next query reports it
            }
            readers.add(c);
        }
    }

    /** A read against one connection. */
    @FunctionalInterface
    interface SqlRead<T> {
        T apply(Connection c) throws SQLException;
    }

    private Connection borrowReader() {
        try {
            Connection c = readers.poll(10, TimeUnit.SECONDS);
            if (c == null) {
                throw new HistoryException("history store is busy; try again", null);
            }
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HistoryException("interrupted", e);
        }
    }

    /** A value of {@code hist_meta}, read in the writer's transaction. */
    String meta(String k) throws SQLException {
        try (PreparedStatement ps = writer.prepareStatement("SELECT v FROM hist_meta WHERE k = ?")) {
            ps.setString(1, k);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Sets a value of {@code hist_meta} in the writer's transaction (the caller commits). */
    void setMeta(String k, String v) throws SQLException {
        try (PreparedStatement ps = writer.prepareStatement("INSERT OR REPLACE INTO hist_meta(k, v) VALUES (?, ?)")) {
            ps.setString(1, k);
            ps.setString(2, v);
            ps.executeUpdate();
        }
    }

    @Override
    public void close() {
        for (Connection c : readers) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        Connection w = writer;
        if (w != null) {
            try {
                w.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }
}

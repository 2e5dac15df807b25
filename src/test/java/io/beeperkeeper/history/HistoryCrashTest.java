package io.beeperkeeper.history;

import io.beeperkeeper.config.HistoryConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 during writes: a child JVM writes to a real file and is killed with destroyForcibly while it
 * is writing; the file must pass integrity_check, hold every sample up to the last committed batch as
 * an unbroken prefix, and the store must reopen with rollups that match the raw samples.
 */
class HistoryCrashTest {
    @TempDir
    Path dir;

    @Test
    void survivesKillMinus9DuringWrites() throws Exception {
        Path file = dir.resolve("beeper.db");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(java.toString(), "-Xmx128m", "-cp", cp,
                KillChild.class.getName(), file.toString()))
                .redirectError(dir.resolve("child.err").toFile())
                .start();
        long committed = -1;
        int commitsSeen = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            String line;
            while (commitsSeen < 6 && System.nanoTime() < deadline && (line = out.readLine()) != null) {
                if (line.startsWith("COMMITTED ")) {
                    committed = Long.parseLong(line.substring(10).trim());
                    commitsSeen++;
                }
            }
            // The child is already writing the next batch: kill it in the middle of that.
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(commitsSeen).as("child output: %s", Files.exists(dir.resolve("child.err"))
                ? Files.readString(dir.resolve("child.err")) : "").isEqualTo(6);
        assertThat(child.exitValue()).isNotZero();

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("PRAGMA integrity_check");
            assertThat(rs.getString(1)).isEqualTo("ok");
            rs = st.executeQuery("SELECT count(*), min(v), max(v) FROM hist_raw WHERE series = "
                    + "(SELECT id FROM hist_series WHERE metric = 'temperature')");
            long rows = rs.getLong(1);
            assertThat(rows).isGreaterThanOrEqualTo(committed);
            // An unbroken prefix: samples 0..rows-1, nothing missing in between.
            assertThat(rs.getDouble(2)).isEqualTo(0);
            assertThat(rs.getDouble(3)).isEqualTo(rows - 1);
        }

        HistoryConfig cfg = new HistoryConfig(14, 180, 0, 1, 1, 20_000, 50, 30, "UTC", HistoryConfig.Influx.defaults());
        try (HistoryStore reopened = HistoryStore.open(file, cfg, Clock.systemUTC())) {
            assertThat(reopened.metrics()).hasSize(1);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM hist_raw), (SELECT sum(c) FROM hist_1m), "
                    + "(SELECT sum(c) FROM hist_1h), (SELECT sum(v) FROM hist_raw), (SELECT sum(sm) FROM hist_1h)");
            assertThat(rs.getLong(2)).isEqualTo(rs.getLong(1));
            assertThat(rs.getLong(3)).isEqualTo(rs.getLong(1));
            assertThat(rs.getDouble(5)).isEqualTo(rs.getDouble(4));
            assertThat(st.executeQuery("PRAGMA integrity_check").getString(1)).isEqualTo("ok");
        }
    }
}

package io.beeperkeeper.history;

import io.beeperkeeper.config.HistoryConfig;
import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.metric.MetricSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The database stays locked by someone else longer than the writer waits: the write fails, nothing
 * blocks the caller, samples past the queue are dropped and counted, the store says DEGRADED, and once
 * the lock is gone every queued sample is stored with exact rollups.
 */
class HistoryStoreFailureTest {
    @TempDir
    Path dir;

    @Test
    void aLockedDatabaseDelaysWritesWithoutLosingQueuedSamples() throws Exception {
        Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
        Path file = dir.resolve("beeper.db");
        HistoryConfig cfg = new HistoryConfig(14, 180, 0, 1, 1, 100, 50, 30, "UTC", HistoryConfig.Influx.defaults());
        try (HistoryStore store = HistoryStore.open(file, cfg, Clock.fixed(t0.plus(Duration.ofDays(1)), ZoneOffset.UTC));
             Connection other = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            store.onSample(new MetricSample("coop", "temperature", 1, "°C", t0, null));
            store.flush(Duration.ofSeconds(30));
            try (Statement st = other.createStatement()) {
                st.execute("BEGIN IMMEDIATE"); // holds the write lock
                for (int i = 1; i <= 60; i++) {
                    store.onSample(new MetricSample("coop", "temperature", i + 1, "°C", t0.plusSeconds(10L * i), null));
                }
                // the writer gives up after its busy timeout (10 s) and says so; on a busy machine later
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                        .until(() -> store.health().status() == ComponentHealth.Status.DEGRADED);
                assertThat(store.health().detail()).contains("will retry");
                long t = System.nanoTime();
                for (int i = 0; i < 500; i++) { // the queue holds 100: the rest is dropped, quickly
                    store.onSample(new MetricSample("coop", "humidity", i, "%", t0.plusSeconds(i), null));
                }
                // a caller held up by the lock would wait the busy timeout (10 s) at least
                assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofSeconds(5));
                assertThat(store.stats().dropped()).isPositive();
                st.execute("ROLLBACK");
            }
            store.flush(Duration.ofSeconds(60));
            store.flushRollups(Duration.ofSeconds(60));
            try (Statement st = other.createStatement()) {
                ResultSet rs = st.executeQuery("SELECT count(*), sum(v) FROM hist_raw r JOIN hist_series s ON s.id = r.series WHERE s.metric = 'temperature'");
                assertThat(rs.getLong(1)).isEqualTo(61);
                assertThat(rs.getDouble(2)).isEqualTo(61 * 62 / 2.0);
                rs = st.executeQuery("SELECT sum(m.c), sum(m.sm) FROM hist_1m m JOIN hist_series s ON s.id = m.series WHERE s.metric = 'temperature'");
                assertThat(rs.getLong(1)).isEqualTo(61);
                assertThat(rs.getDouble(2)).isEqualTo(61 * 62 / 2.0);
                rs = st.executeQuery("SELECT count(*) FROM hist_raw r JOIN hist_series s ON s.id = r.series WHERE s.metric = 'humidity'");
                assertThat(rs.getLong(1) + store.stats().dropped()).as("every sample stored or counted as dropped").isEqualTo(500);
                rs = st.executeQuery("SELECT sum(h.c) FROM hist_1h h JOIN hist_series s ON s.id = h.series WHERE s.metric = 'temperature'");
                assertThat(rs.getLong(1)).isEqualTo(61);
            }
        }
    }
}

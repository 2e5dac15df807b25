package io.beeperkeeper.history;

import io.beeperkeeper.FullDisk;
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
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real full disk (a 4 MiB tmpfs filled to the last byte): the store says DEGRADED with SQLite's
 * reason and keeps the readings that arrive meanwhile (up to its queue's capacity, the rest counted as
 * dropped); once space returns it commits them by itself at its next flush, rollups exact.
 */
class HistoryFullDiskTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final int FLUSH_SECONDS = 2;
    static final int CAPACITY = 100;

    @TempDir
    Path dir;

    static MetricSample temp(int i) {
        return new MetricSample("coop", "temperature", i, "°C", T0.plusSeconds(i), null);
    }

    @Test
    void recoversByItselfWithinOneFlushOnceSpaceReturns() throws Exception {
        HistoryConfig cfg = new HistoryConfig(14, 180, 0, FLUSH_SECONDS, 10, CAPACITY, 50, 30, "UTC", HistoryConfig.Influx.defaults());
        try (FullDisk disk = FullDisk.mount(dir.resolve("disk"), 4L << 20)) {
            Path file = disk.path().resolve("beeper.db");
            try (HistoryStore store = HistoryStore.open(file, cfg, Clock.fixed(T0.plus(Duration.ofHours(1)), ZoneOffset.UTC))) {
                for (int i = 0; i < 10; i++) {
                    store.onSample(temp(i));
                }
                store.flush(Duration.ofSeconds(30));
                disk.fill();

                // readings keep coming, one per poll, until a commit fails (the first ones may still fit)
                AtomicInteger sent = new AtomicInteger(10);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    store.onSample(temp(sent.getAndIncrement()));
                    assertThat(store.health().status()).isEqualTo(ComponentHealth.Status.DEGRADED);
                    assertThat(store.health().detail()).contains("SQLITE_FULL");
                });
                for (int i = 0; i < 2 * CAPACITY; i++) { // more than the store keeps
                    store.onSample(temp(sent.getAndIncrement()));
                }
                long total = sent.get();
                HistoryQuery all = new HistoryQuery("temperature", null, T0, T0.plusSeconds(3600), 10_000);
                // the store keeps its capacity's worth, shown on the charts, and counts the rest as dropped
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(store.stats().dropped()).isEqualTo(total - store.stats().written() - CAPACITY);
                    assertThat(store.query(all).size()).isEqualTo(store.stats().written() + CAPACITY);
                });
                long writtenWhileFull = store.stats().written();

                disk.free();
                long freed = System.nanoTime();
                await().atMost(Duration.ofSeconds(60)).until(() -> store.stats().written() == writtenWhileFull + CAPACITY);
                Duration recovery = Duration.ofNanos(System.nanoTime() - freed);
                System.out.println("history store recovered " + recovery.toMillis() + " ms after space returned");
                assertThat(recovery).as("recovered at the next flush").isLessThan(Duration.ofSeconds(FLUSH_SECONDS * 2L + 3));

                assertThat(store.stats().written() + store.stats().dropped()).as("every reading stored or counted").isEqualTo(total);
                store.onSample(temp(5000));
                store.flush(Duration.ofSeconds(30));
                store.flushRollups(Duration.ofSeconds(30));
                assertThat(store.health().detail()).contains("recovered");
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
                    ResultSet rs = st.executeQuery("SELECT count(*), sum(v) FROM hist_raw");
                    assertThat(rs.getLong(1)).isEqualTo(writtenWhileFull + CAPACITY + 1);
                    double sum = rs.getDouble(2);
                    rs = st.executeQuery("SELECT sum(c), sum(sm) FROM hist_1m");
                    assertThat(rs.getLong(1)).isEqualTo(writtenWhileFull + CAPACITY + 1);
                    assertThat(rs.getDouble(2)).isEqualTo(sum);
                    assertThat(st.executeQuery("PRAGMA integrity_check").getString(1)).isEqualTo("ok");
                }
            }
        }
    }
}

package io.beeperkeeper.history;

import io.beeperkeeper.config.HistoryConfig;
import io.beeperkeeper.metric.MetricSample;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Charts show a reading as soon as it arrives: queries and the list of metrics include what the writer
 * holds but has not committed (the card is written only every flushSeconds, here 10 minutes), and count
 * each reading once when it is committed meanwhile or delivered again.
 */
class HistoryUncommittedTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    HistoryStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    HistoryStore open() {
        HistoryConfig slow = new HistoryConfig(14, 180, 0, 600, 10, 20_000, 50, 30, "UTC", HistoryConfig.Influx.defaults());
        store = HistoryStore.open(dir.resolve("beeper.db"), slow, Clock.fixed(T0.plus(Duration.ofHours(1)), ZoneOffset.UTC));
        return store;
    }

    static MetricSample temp(Instant t, double v) {
        return new MetricSample("coop", "temperature", v, "°C", t, null);
    }

    long storedRows() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("beeper.db"));
             Statement st = c.createStatement()) {
            return st.executeQuery("SELECT count(*) FROM hist_raw").getLong(1);
        }
    }

    @Test
    void aReadingIsShownBeforeItIsCommitted() throws Exception {
        HistoryStore s = open();
        s.onSample(temp(T0, 20));
        s.onSample(temp(T0.plusSeconds(10), 21));
        s.onSample(new MetricSample("coop", "lux", 300, "lx", T0.plusSeconds(10), null));

        assertThat(s.stats().commits()).as("nothing committed yet").isZero();
        assertThat(storedRows()).isZero();
        assertThat(s.metrics()).extracting(MetricInfo::metric).containsExactlyInAnyOrder("temperature", "lux", HistoryStore.LIGHTS_ON);
        MetricInfo t = s.metrics().stream().filter(m -> m.metric().equals("temperature")).findFirst().orElseThrow();
        assertThat(t.unit()).isEqualTo("°C");
        assertThat(t.first()).isEqualTo(T0);
        assertThat(t.last()).isEqualTo(T0.plusSeconds(10));
        assertThat(t.derived()).isFalse();

        HistoryQuery tenMinutes = new HistoryQuery("temperature", null, T0, T0.plusSeconds(600), 1000);
        HistorySeries before = s.query(tenMinutes);
        assertThat(before.unit()).isEqualTo("°C");
        assertThat(before.mean()).containsExactly(20, 21);
        assertThat(s.query(new HistoryQuery(HistoryStore.LIGHTS_ON, "coop", T0, T0.plusSeconds(600), 1000)).mean()).containsExactly(1);

        s.flush(WAIT);
        assertThat(storedRows()).isEqualTo(4);
        HistorySeries after = s.query(tenMinutes);
        assertThat(after.t()).containsExactly(before.t());
        assertThat(after.mean()).containsExactly(before.mean());
    }

    @Test
    void committedAndPendingReadingsShareABucketAndARepeatIsCountedOnce() {
        HistoryStore s = open();
        s.onSample(temp(T0, 10));
        s.flush(WAIT);
        s.onSample(temp(T0.plusSeconds(20), 20)); // same minute, not committed
        s.onSample(temp(T0, 10));                 // a retained reading delivered again
        HistoryQuery hour = new HistoryQuery("temperature", "coop", T0, T0.plus(Duration.ofHours(1)), 60);
        HistorySeries h = s.query(hour);
        assertThat(h.resolution()).isEqualTo(Resolution.MINUTE);
        assertThat(h.size()).isEqualTo(1);
        assertThat(h.min()[0]).isEqualTo(10);
        assertThat(h.max()[0]).isEqualTo(20);
        assertThat(h.mean()[0]).isCloseTo(15, within(1e-9));

        s.flush(WAIT);
        s.flushRollups(WAIT);
        assertThat(s.stats().written()).isEqualTo(2);
        assertThat(s.query(hour).mean()).containsExactly(h.mean());
    }
}

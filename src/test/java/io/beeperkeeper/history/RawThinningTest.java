package io.beeperkeeper.history;

import io.beeperkeeper.config.HistoryConfig;
import io.beeperkeeper.metric.MetricSample;
import org.junit.jupiter.api.AfterEach;
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
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code history.rawIntervalSeconds} on a real SQLite file: the raw tier keeps one sample per series
 * per window, the 1-minute and 1-hour figures still count every sample, and a sample delivered again
 * (in the same window, in a later batch, after a restart) is counted once.
 */
class RawThinningTest {
    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    final List<HistoryStore> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        open.forEach(HistoryStore::close);
    }

    HistoryStore store() {
        HistoryConfig cfg = new HistoryConfig(14, 180, 0, 1, 10, 20_000, 50, 30, "UTC", HistoryConfig.Influx.defaults(), 10);
        HistoryStore s = HistoryStore.open(dir.resolve("beeper.db"), cfg, Clock.fixed(T0.plus(Duration.ofDays(1)), ZoneOffset.UTC));
        open.add(s);
        return s;
    }

    static MetricSample sound(Instant t, double v) {
        return new MetricSample("coop", "audio_level_db", v, "dB", t, null);
    }

    long rawRows() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("beeper.db"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM hist_raw")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void theRawTierKeepsOneSampleAWindowAndTheFiguresCountThemAll() throws Exception {
        HistoryStore s = store();
        for (int i = 0; i < 120; i++) { // two minutes, every second: 0..59 in the first, 100..159 in the second
            s.onSample(sound(T0.plusSeconds(i), i < 60 ? i : 40 + i));
        }
        s.flush(WAIT);
        assertThat(rawRows()).isEqualTo(12);
        assertThat(s.stats().written()).isEqualTo(120);
        s.flushRollups(WAIT);
        HistorySeries minutes = s.query(new HistoryQuery("audio_level_db", null, T0, T0.plus(Duration.ofHours(2)), 120));
        assertThat(minutes.stepSeconds()).isEqualTo(60);
        assertThat(minutes.resolution()).isEqualTo(Resolution.MINUTE);
        assertThat(minutes.min()[0]).isEqualTo(0);
        assertThat(minutes.max()[0]).isEqualTo(59);
        assertThat(minutes.mean()[0]).isCloseTo(29.5, within(1e-9));
        assertThat(minutes.mean()[1]).isCloseTo(129.5, within(1e-9));
        HistorySeries raw = s.query(new HistoryQuery("audio_level_db", null, T0, T0.plusSeconds(120), 1000));
        assertThat(raw.resolution()).isEqualTo(Resolution.RAW);
        assertThat(raw.size()).isEqualTo(12);
        assertThat(raw.mean()[1]).isEqualTo(10); // the first sample of the second window
    }

    @Test
    void aSampleDeliveredAgainIsCountedOnceWhetherStoredOrNot() throws Exception {
        HistoryStore s = store();
        s.onSample(sound(T0, 10));          // stored
        s.onSample(sound(T0.plusSeconds(2), 30)); // figures only
        s.onSample(sound(T0.plusSeconds(2), 30)); // again, same batch
        s.flush(WAIT);
        s.onSample(sound(T0, 10));          // again, a later batch
        s.onSample(sound(T0.plusSeconds(2), 30));
        s.flush(WAIT);
        s.close();

        HistoryStore again = store();      // the retained newest sample comes once more after a restart
        again.onSample(sound(T0.plusSeconds(2), 30));
        again.onSample(sound(T0.plusSeconds(4), 50));
        again.flush(WAIT);
        again.flushRollups(WAIT);
        assertThat(rawRows()).as("the first sample since the restart starts a window of its own").isEqualTo(2);
        HistorySeries h = again.query(new HistoryQuery("audio_level_db", null, T0, T0.plus(Duration.ofDays(1)), 10));
        assertThat(h.mean()[0]).isCloseTo(30, within(1e-9)); // 10, 30 and 50 once each
        assertThat(h.max()[0]).isEqualTo(50);
    }

    @Test
    void aLateSampleOfAnEarlierWindowIsStored() throws Exception {
        HistoryStore s = store();
        s.onSample(sound(T0.plusSeconds(30), 1));
        s.flush(WAIT);
        s.onSample(sound(T0.plusSeconds(5), 2)); // a node's queue replayed after its broker came back
        s.flush(WAIT);
        assertThat(rawRows()).isEqualTo(2);
    }
}

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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The store on a real SQLite file: samples, rollups, queries across tiers, retention, derived metrics. */
class HistoryStoreTest {
    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    final List<HistoryStore> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        open.forEach(HistoryStore::close);
    }

    static HistoryConfig config() {
        return new HistoryConfig(14, 180, 0, 1, 10, 20_000, 50, 30, "UTC", HistoryConfig.Influx.defaults());
    }

    HistoryStore store(Instant now) {
        HistoryStore s = HistoryStore.open(dir.resolve("beeper.db"), config(), Clock.fixed(now, ZoneOffset.UTC));
        open.add(s);
        return s;
    }

    static MetricSample temp(Instant t, double v) {
        return new MetricSample("coop", "temperature", v, "°C", t, null);
    }

    @Test
    void queriesGiveTheSameBucketsFromRawSamplesAndFromRollups() {
        HistoryStore s = store(T0.plus(Duration.ofDays(3)));
        for (int i = 0; i < 720; i++) { // 2 hours at 10 s
            s.onSample(temp(T0.plusSeconds(10L * i), i % 100));
        }
        s.flush(WAIT);
        HistoryQuery twoHours = new HistoryQuery("temperature", null, T0, T0.plus(Duration.ofHours(2)), 100);
        HistorySeries fromRaw = s.query(twoHours);
        assertThat(fromRaw.resolution()).isEqualTo(Resolution.MINUTE);
        assertThat(fromRaw.stepSeconds()).isEqualTo(120);
        assertThat(fromRaw.size()).isEqualTo(60);
        // bucket 0: samples 0..11 -> values 0..11
        assertThat(fromRaw.min()[0]).isEqualTo(0);
        assertThat(fromRaw.max()[0]).isEqualTo(11);
        assertThat(fromRaw.mean()[0]).isCloseTo(5.5, within(1e-9));
        assertThat(fromRaw.t()[1]).isEqualTo(T0.getEpochSecond() + 120);

        s.flushRollups(WAIT);
        HistorySeries fromRollups = s.query(twoHours);
        assertThat(fromRollups.t()).containsExactly(fromRaw.t());
        assertThat(fromRollups.mean()).containsExactly(fromRaw.mean());
        assertThat(fromRollups.min()).containsExactly(fromRaw.min());
        assertThat(fromRollups.max()).containsExactly(fromRaw.max());

        HistorySeries hourly = s.query(new HistoryQuery("temperature", null, T0, T0.plus(Duration.ofDays(4)), 100));
        assertThat(hourly.resolution()).isEqualTo(Resolution.HOUR);
        assertThat(hourly.size()).isEqualTo(2);
        double firstHourMean = 0;
        for (int i = 0; i < 360; i++) {
            firstHourMean += i % 100;
        }
        assertThat(hourly.mean()[0]).isCloseTo(firstHourMean / 360, within(1e-9));
        assertThat(hourly.max()[1]).isEqualTo(99);

        HistorySeries raw = s.query(new HistoryQuery("temperature", null, T0, T0.plus(Duration.ofMinutes(10)), 1000));
        assertThat(raw.resolution()).isEqualTo(Resolution.RAW);
        assertThat(raw.size()).isEqualTo(60);
        assertThat(raw.mean()[7]).isEqualTo(7);
    }

    @Test
    void aSampleDeliveredTwiceIsCountedOnce() {
        HistoryStore s = store(T0.plus(Duration.ofDays(1)));
        s.onSample(temp(T0, 10));
        s.onSample(temp(T0, 10));
        s.onSample(temp(T0.plusSeconds(10), 20));
        s.flush(WAIT);
        s.onSample(temp(T0, 10)); // again, in a later batch
        s.flush(WAIT);
        s.flushRollups(WAIT);
        assertThat(s.stats().written()).isEqualTo(2);
        HistorySeries h = s.query(new HistoryQuery("temperature", "coop", T0, T0.plus(Duration.ofDays(1)), 10));
        assertThat(h.mean()[0]).isEqualTo(15);
    }

    @Test
    void listsMetricsWithUnitsAndSpanAndRejectsUnknownOrAmbiguousOnes() {
        HistoryStore s = store(T0.plus(Duration.ofDays(1)));
        s.onSample(temp(T0, 10));
        s.onSample(temp(T0.plusSeconds(60), 11));
        s.onSample(new MetricSample("coop", "humidity", 55, "%", T0.plusSeconds(5), null));
        s.onSample(new MetricSample("barn", "humidity", 60, "%", T0.plusSeconds(5), null));
        s.flush(WAIT);
        assertThat(s.metrics()).extracting(MetricInfo::node, MetricInfo::metric, MetricInfo::unit)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("barn", "humidity", "%"),
                        org.assertj.core.groups.Tuple.tuple("coop", "humidity", "%"),
                        org.assertj.core.groups.Tuple.tuple("coop", "temperature", "°C"));
        MetricInfo t = s.metrics().get(2);
        assertThat(t.first()).isEqualTo(T0);
        assertThat(t.last()).isEqualTo(T0.plusSeconds(60));

        HistoryQuery q = new HistoryQuery("pressure", null, T0, T0.plusSeconds(600), 10);
        assertThatThrownBy(() -> s.query(q)).isInstanceOf(UnknownMetricException.class)
                .hasMessageContaining("no history for metric 'pressure'").hasMessageContaining("temperature");
        assertThatThrownBy(() -> s.query(new HistoryQuery("humidity", null, T0, T0.plusSeconds(600), 10)))
                .isInstanceOf(UnknownMetricException.class).hasMessageContaining("barn, coop").hasMessageContaining("node=");
        assertThat(s.query(new HistoryQuery("humidity", "barn", T0, T0.plusSeconds(600), 10)).mean()).containsExactly(60);
    }

    @Test
    void rollupsHeldInMemoryAreRebuiltWhenTheStoreReopens() throws Exception {
        Path file = dir.resolve("beeper.db");
        HistoryStore s = store(T0.plus(Duration.ofDays(1)));
        for (int i = 0; i < 360; i++) {
            s.onSample(temp(T0.plusSeconds(10L * i), i));
        }
        s.flush(WAIT);
        // Remove what close() writes from memory: simulate the rollups never having been written.
        s.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.execute("DELETE FROM hist_1m WHERE t >= " + T0.plusSeconds(1800).toEpochMilli());
            st.execute("DELETE FROM hist_1h");
        }
        HistoryStore again = store(T0.plus(Duration.ofDays(1)));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT count(*), sum(c), sum(sm) FROM hist_1m");
            assertThat(rs.getLong(1)).isEqualTo(60);
            assertThat(rs.getLong(2)).isEqualTo(360);
            assertThat(rs.getDouble(3)).isEqualTo(359 * 360 / 2.0);
            rs = st.executeQuery("SELECT c, mn, mx FROM hist_1h");
            assertThat(rs.getLong(1)).isEqualTo(360);
            assertThat(rs.getDouble(2)).isEqualTo(0);
            assertThat(rs.getDouble(3)).isEqualTo(359);
        }
        assertThat(again.metrics()).hasSize(1);
        assertThat(again.metrics().get(0).last()).isEqualTo(T0.plusSeconds(3590));
    }

    @Test
    void retentionDropsOldRawSamplesButKeepsTheirRollups() {
        Instant now = T0.plus(Duration.ofDays(20));
        HistoryStore s = store(now);
        s.onSample(temp(T0, 5));            // 20 days old: raw gone, 1m and 1h kept
        s.onSample(temp(now.minusSeconds(3600), 7));
        s.flush(WAIT);
        s.flushRollups(WAIT);
        s.applyRetention(WAIT);
        HistorySeries rawDay = s.query(new HistoryQuery("temperature", null, T0, T0.plusSeconds(600), 1000));
        assertThat(rawDay.resolution()).isEqualTo(Resolution.RAW);
        assertThat(rawDay.size()).isZero();
        HistorySeries minutes = s.query(new HistoryQuery("temperature", null, T0, T0.plus(Duration.ofHours(10)), 1000));
        assertThat(minutes.resolution()).isEqualTo(Resolution.MINUTE);
        assertThat(minutes.mean()).containsExactly(5);
        HistorySeries recent = s.query(new HistoryQuery("temperature", null, now.minusSeconds(7200), now, 1000));
        assertThat(recent.mean()).containsExactly(7);
    }

    @Test
    void lightsOnHasHysteresisAndDailyFiguresAreStoredOnceTheDayIsOver() {
        HistoryStore s = store(T0.plus(Duration.ofDays(3)));
        double[] lux = {0, 60, 40, 20, 55};
        for (int i = 0; i < lux.length; i++) {
            s.onSample(new MetricSample("coop", "lux", lux[i], "lx", T0.plusSeconds(60L * i), null));
        }
        s.flush(WAIT);
        HistorySeries l = s.query(new HistoryQuery(HistoryStore.LIGHTS_ON, null, T0, T0.plusSeconds(600), 1000));
        assertThat(l.mean()).containsExactly(0, 1, 1, 0, 1);

        // Day 1 (UTC): lights on from 06:00 to 18:00 by a 10 s lux feed, temperature from 2 to 14.
        Instant day = T0.plus(Duration.ofDays(1));
        for (int i = 0; i < 8640; i++) {
            Instant t = day.plusSeconds(10L * i);
            int hour = i / 360;
            s.onSample(new MetricSample("coop", "lux", hour >= 6 && hour < 18 ? 300 : 2, "lx", t, null));
            s.onSample(temp(t, 2 + (i % 4321) / 360.0));
            if (i % 2000 == 1999) {
                s.flush(WAIT); // the writer's queue holds 20,000: on a slow machine a day at once would overflow it
            }
        }
        s.flush(WAIT);
        s.onSample(temp(day.plus(Duration.ofDays(1)).plusSeconds(600), 9)); // next day, past the grace
        s.flush(WAIT);
        s.flush(WAIT);
        assertThat(s.stats().dropped()).as("samples dropped by a full writer queue").isZero();
        HistorySeries hours = s.query(new HistoryQuery(HistoryStore.LIGHT_HOURS, null, day, day.plusSeconds(60), 10));
        assertThat(hours.mean()[0]).isCloseTo(12.0, within(0.01));
        assertThat(hours.unit()).isEqualTo("h");
        HistorySeries min = s.query(new HistoryQuery(HistoryStore.TEMPERATURE_DAILY_MIN, null, day, day.plusSeconds(60), 10));
        HistorySeries max = s.query(new HistoryQuery(HistoryStore.TEMPERATURE_DAILY_MAX, null, day, day.plusSeconds(60), 10));
        assertThat(min.mean()[0]).isEqualTo(2);
        assertThat(max.mean()[0]).isEqualTo(14);
        assertThat(s.metrics()).extracting(MetricInfo::metric).contains(HistoryStore.LIGHT_HOURS, HistoryStore.LIGHTS_ON);
    }

    @Test
    void resolutionIsTheCoarsestThatGivesAtLeastHalfThePoints() {
        long h = 3_600_000L;
        assertThat(HistoryStore.chooseResolution(24 * h, 1000)).isEqualTo(Resolution.MINUTE);
        assertThat(HistoryStore.chooseResolution(30 * 24 * h, 1000)).isEqualTo(Resolution.HOUR);
        assertThat(HistoryStore.chooseResolution(365 * 24 * h, 1000)).isEqualTo(Resolution.HOUR);
        assertThat(HistoryStore.chooseResolution(h, 1000)).isEqualTo(Resolution.RAW);
        assertThat(HistoryStore.stepFor(Resolution.MINUTE, 24 * h, 1000)).isEqualTo(120_000);
        assertThat(HistoryStore.stepFor(Resolution.HOUR, 365 * 24 * h, 1000)).isEqualTo(9 * h);
        assertThat(HistoryStore.stepFor(Resolution.RAW, h, 1000)).isEqualTo(4000);
    }

    @Test
    void healthSaysUpWithCounts() {
        HistoryStore s = store(T0);
        s.onSample(temp(T0, 1));
        s.flush(WAIT);
        assertThat(s.health().status()).isEqualTo(io.beeperkeeper.health.ComponentHealth.Status.UP);
        assertThat(s.health().detail()).contains("1 series");
    }
}

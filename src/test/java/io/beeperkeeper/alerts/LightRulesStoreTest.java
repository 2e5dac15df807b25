package io.beeperkeeper.alerts;

import io.beeperkeeper.config.HistoryConfig;
import io.beeperkeeper.history.HistoryStore;
import io.beeperkeeper.metric.MetricSample;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The day-length and darkness rules against the real history store on a SQLite file: the store derives
 * {@code lights_on} (with its hysteresis) and yesterday's {@code light_hours} from a lux feed, and the
 * rules read them through {@link HistoryLights}, at fixed instants.
 */
class LightRulesStoreTest {
    private static final Instant DAY1 = Instant.parse("2026-03-10T00:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private final List<HistoryStore> open = new ArrayList<>();

    @AfterEach
    void close() {
        open.forEach(HistoryStore::close);
    }

    private HistoryStore store(Instant now) {
        HistoryConfig c = new HistoryConfig(14, 180, 0, 1, 10, 20_000, 50, 30, "UTC", HistoryConfig.Influx.defaults());
        HistoryStore s = HistoryStore.open(dir.resolve("beeper.db"), c, Clock.fixed(now, ZoneOffset.UTC));
        open.add(s);
        return s;
    }

    /** One lux reading a minute from {@code from} for {@code hours}, 300 lx while {@code lit(hourOfDay)}, else 2 lx. */
    private static void feed(HistoryStore s, Instant from, int hours, IntPredicate lit) {
        for (int m = 0; m < hours * 60; m++) {
            Instant t = from.plus(Duration.ofMinutes(m));
            int hour = t.atZone(ZoneOffset.UTC).getHour();
            s.onSample(new MetricSample("coop", "lux", lit.test(hour) ? 300 : 2, "lx", t, null));
        }
        s.flush(WAIT);
        s.flush(WAIT); // the daily figures are derived after the commit that completes the day
    }

    @Test
    void shortWinterDayFiresDayLengthAndEightDarkHoursKeepDarknessClear() {
        Instant now = DAY1.plus(Duration.ofDays(1)).plus(Duration.ofHours(12));
        HistoryStore s = store(now);
        // lights 07:00-19:00: 12 h of light, 12 h dark; fed up to the moment of judging
        feed(s, DAY1, 36, h -> h >= 7 && h < 19);
        HistoryLights lights = new HistoryLights(() -> s, ZoneOffset.UTC);

        Verdict day = new DayLengthCondition(lights, 14, ZoneOffset.UTC).evaluate(now, false);
        assertThat(day.breached()).as(day.detail()).isTrue();
        assertThat(day.value()).isBetween(11.9, 12.1);
        assertThat(day.detail()).contains("2026-03-10").contains("below 14 h");

        Verdict dark = new DarknessCondition(lights, 8).evaluate(now, false);
        assertThat(dark.status()).as(dark.detail()).isEqualTo(Verdict.Status.CLEAR);
        assertThat(dark.value()).isGreaterThanOrEqualTo(11.9);
    }

    @Test
    void lightsLeftOnAtNightFireDarknessAndALongDayClearsDayLength() {
        Instant now = DAY1.plus(Duration.ofDays(1)).plus(Duration.ofHours(12));
        HistoryStore s = store(now);
        // lights 03:00-23:00 on day 1 (20 h of light, so day length is fine), then left on all night
        feed(s, DAY1, 24, h -> h >= 3 && h < 23);
        feed(s, DAY1.plus(Duration.ofDays(1)), 12, h -> true);
        HistoryLights lights = new HistoryLights(() -> s, ZoneOffset.UTC);

        Verdict day = new DayLengthCondition(lights, 14, ZoneOffset.UTC).evaluate(now, false);
        assertThat(day.status()).as(day.detail()).isEqualTo(Verdict.Status.CLEAR);
        assertThat(day.value()).isBetween(19.9, 20.1);

        Verdict dark = new DarknessCondition(lights, 8).evaluate(now, false);
        assertThat(dark.breached()).as(dark.detail()).isTrue();
        assertThat(dark.value()).isLessThan(8);
        assertThat(dark.detail()).contains("lights left on");
    }

    @Test
    void lessThanADayInTheStoreChangesNothing() {
        Instant now = DAY1.plus(Duration.ofHours(10));
        HistoryStore s = store(now);
        feed(s, DAY1, 10, h -> true);
        HistoryLights lights = new HistoryLights(() -> s, ZoneOffset.UTC);
        assertThat(new DayLengthCondition(lights, 14, ZoneOffset.UTC).evaluate(now, false).status()).isEqualTo(Verdict.Status.UNKNOWN);
        assertThat(new DarknessCondition(lights, 8).evaluate(now, false).status()).isEqualTo(Verdict.Status.UNKNOWN);
    }
}

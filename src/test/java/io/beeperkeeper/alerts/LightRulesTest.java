package io.beeperkeeper.alerts;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;

/** Day length and darkness from a day of lights-on history, at fixed instants. */
class LightRulesTest {
    private static final Instant MIDNIGHT = Instant.parse("2026-03-10T00:00:00Z");

    /** One sample a minute from {@code from} for {@code hours}: lights on from 06:00 to {@code offHour} each day. */
    private static List<LightHistory.LightSample> schedule(Instant from, int hours, int offHour) {
        List<LightHistory.LightSample> out = new ArrayList<>();
        for (int m = 0; m < hours * 60; m++) {
            Instant t = from.plus(Duration.ofMinutes(m));
            int h = t.atZone(ZoneOffset.UTC).getHour();
            out.add(new LightHistory.LightSample(t, h >= 6 && h < offHour));
        }
        return out;
    }

    @Test
    void darknessIsFineWithEightDarkHoursAndFiresWhenTheLightsStayOn() {
        DarknessCondition c = new DarknessCondition(LightHistory.NONE, 8);
        // lights 06:00-22:00: 8 h dark every night, judged at any hour of the day
        for (int hour = 0; hour < 24; hour += 3) {
            Instant now = MIDNIGHT.plus(Duration.ofDays(2)).plus(Duration.ofHours(hour));
            assertThat(c.judge(schedule(now.minus(Duration.ofHours(33)), 33, 22), now).breached()).as("at %02d:00", hour).isFalse();
        }
        // lights 06:00-24:00: only 6 h dark
        Instant now = MIDNIGHT.plus(Duration.ofDays(2)).plus(Duration.ofHours(12));
        Verdict v = c.judge(schedule(now.minus(Duration.ofHours(33)), 33, 24), now);
        assertThat(v.breached()).isTrue();
        assertThat(v.detail()).contains("6 h").contains("lights left on");
        // less than a day of history: unknown
        assertThat(c.judge(schedule(now.minus(Duration.ofHours(10)), 10, 24), now).status()).isEqualTo(Verdict.Status.UNKNOWN);
    }

    @Test
    void dayLengthFromYesterdaysLightHours() {
        LightHistory store = new LightHistory() {
            @Override
            public OptionalDouble lightHours(LocalDate day) {
                return day.equals(LocalDate.of(2026, 3, 9)) ? OptionalDouble.of(11.5) : OptionalDouble.empty();
            }

            @Override
            public List<LightSample> lightsOn(Instant from, Instant to) {
                return List.of();
            }
        };
        DayLengthCondition c = new DayLengthCondition(store, 14, ZoneOffset.UTC);
        Verdict v = c.evaluate(MIDNIGHT.plus(Duration.ofHours(8)), false);
        assertThat(v.breached()).isTrue();
        assertThat(v.value()).isEqualTo(11.5);
        assertThat(v.detail()).contains("11.5 h of light on 2026-03-09");
        assertThat(new DayLengthCondition(store, 14, ZoneOffset.UTC).evaluate(MIDNIGHT.plus(Duration.ofDays(1)), false).status())
                .isEqualTo(Verdict.Status.UNKNOWN);
    }
}

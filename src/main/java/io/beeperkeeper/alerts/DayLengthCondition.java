package io.beeperkeeper.alerts;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.OptionalDouble;

/**
 * Too short a day for laying hens: yesterday's lit hours, as the store derived them from lux, below
 * {@code minHours}. Asks the store at most every few minutes.
 */
final class DayLengthCondition implements Condition {
    private static final Duration REFRESH = Duration.ofMinutes(5);
    private final LightHistory history;
    private final double minHours;
    private final ZoneId zone;
    private Instant checkedAt;
    private OptionalDouble hours = OptionalDouble.empty();
    private LocalDate day;

    public DayLengthCondition(LightHistory history, double minHours, ZoneId zone) {
        this.history = history;
        this.minHours = minHours;
        this.zone = zone;
    }

    @Override
    public Verdict evaluate(Instant now, boolean active) {
        LocalDate yesterday = now.atZone(zone).toLocalDate().minusDays(1);
        if (checkedAt == null || !yesterday.equals(day) || Duration.between(checkedAt, now).compareTo(REFRESH) >= 0) {
            try {
                hours = history.lightHours(yesterday);
            } catch (RuntimeException e) {
                hours = OptionalDouble.empty();
            }
            day = yesterday;
            checkedAt = now;
        }
        if (hours.isEmpty()) {
            return Verdict.unknown("no light hours stored for " + yesterday);
        }
        double h = hours.getAsDouble();
        String text = ThresholdCondition.fmt(h) + " h of light on " + yesterday;
        return h < minHours ? Verdict.breached(h, text + ", below " + ThresholdCondition.fmt(minHours) + " h")
                : Verdict.clear(h, text);
    }

    @Override
    public String metric() {
        return "light_hours";
    }
}

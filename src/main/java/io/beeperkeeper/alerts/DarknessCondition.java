package io.beeperkeeper.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Lights left on at night: hens need an unbroken dark stretch (8 h by default) every day. Breached
 * when a whole day has passed since the end of the last dark stretch that long (a stretch going on
 * now counts with its length so far). Reads the store's lights-on periods at most every few minutes,
 * and stays unknown until the store holds a whole day of them.
 */
final class DarknessCondition implements Condition {
    private static final Duration REFRESH = Duration.ofMinutes(5);
    private static final Duration DAY = Duration.ofHours(24);
    /** A gap in the samples longer than this is not counted as dark (the hub was off). */
    private static final Duration GAP = Duration.ofMinutes(10);

    private final LightHistory history;
    private final Duration min;
    private Instant checkedAt;
    private Verdict cached;

    public DarknessCondition(LightHistory history, double minHours) {
        this.history = history;
        this.min = Duration.ofMinutes(Math.round(minHours * 60));
    }

    @Override
    public Verdict evaluate(Instant now, boolean active) {
        if (cached != null && Duration.between(checkedAt, now).compareTo(REFRESH) < 0) {
            return cached;
        }
        checkedAt = now;
        try {
            cached = judge(history.lightsOn(now.minus(DAY).minus(min).minus(Duration.ofHours(1)), now), now);
        } catch (RuntimeException e) {
            cached = Verdict.unknown("lights-on history not readable: " + e.getMessage());
        }
        return cached;
    }

    Verdict judge(List<LightHistory.LightSample> samples, Instant now) {
        if (samples.isEmpty() || samples.get(0).time().isAfter(now.minus(DAY))) {
            return Verdict.unknown("less than a day of lights-on history");
        }
        Instant dayAgo = now.minus(DAY);
        Duration longest = Duration.ZERO; // the longest dark stretch that ended in the last day
        Instant darkFrom = null;
        Instant prev = null;
        for (LightHistory.LightSample s : samples) {
            if (darkFrom != null && Duration.between(prev, s.time()).compareTo(GAP) > 0) {
                longest = longer(longest, darkFrom, prev, dayAgo);
                darkFrom = null;
            }
            if (!s.on() && darkFrom == null) {
                darkFrom = s.time();
            } else if (s.on() && darkFrom != null) {
                longest = longer(longest, darkFrom, s.time(), dayAgo);
                darkFrom = null;
            }
            prev = s.time();
        }
        if (darkFrom != null) {
            Instant end = Duration.between(prev, now).compareTo(GAP) > 0 ? prev : now;
            longest = longer(longest, darkFrom, end, dayAgo);
        }
        double hours = longest.toMinutes() / 60.0;
        String need = ThresholdCondition.fmt(min.toMinutes() / 60.0);
        if (longest.compareTo(min) >= 0) {
            return Verdict.clear(hours, ThresholdCondition.fmt(hours) + " h dark in one stretch in the last day");
        }
        return Verdict.breached(hours, "longest darkness in the last 24 h: " + ThresholdCondition.fmt(hours)
                + " h, less than " + need + " h: lights left on at night?");
    }

    /** The longer of {@code best} and the stretch from..to, if that stretch ended after {@code since}. */
    private static Duration longer(Duration best, Instant from, Instant to, Instant since) {
        if (to.isBefore(since)) {
            return best;
        }
        Duration d = Duration.between(from, to);
        return d.compareTo(best) > 0 ? d : best;
    }

    @Override
    public String metric() {
        return "lights_on";
    }
}

package io.beeperkeeper.thermal;

import io.beeperkeeper.config.ThermalConfig;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The thermal state machine, without I/O: given each look at the CPU's heat, decides when the
 * software-encoded cameras step down a {@link ThermalLevel} and when back up.
 * <ul>
 *   <li>Down one level when the CPU is at or above {@code softLimitC - marginC}, or the firmware reports
 *       it capped, throttled or at its soft temperature limit now.</li>
 *   <li>Up one level only when it has been at or below {@code softLimitC - hysteresisC}, without those
 *       flags, for {@code dwellSeconds}; between the two thresholds the level holds.</li>
 *   <li>At least {@code dwellSeconds} between any two steps, so each step has time to show its effect
 *       (and a camera is not restarted over and over).</li>
 * </ul>
 * Time comes from the injected clock. Not thread-safe: one poller calls {@link #observe}.
 */
public final class ThermalGovernor {
    private final double stepDownAtC;
    private final double stepUpAtC;
    private final Duration dwell;
    private final Clock clock;
    private ThermalLevel level = ThermalLevel.FULL;
    private Optional<Instant> lastStep = Optional.empty();
    private Optional<Instant> coolSince = Optional.empty();

    public ThermalGovernor(ThermalConfig config, Clock clock) {
        this.stepDownAtC = config.stepDownAtC();
        this.stepUpAtC = config.stepUpAtC();
        this.dwell = Duration.ofMillis(Math.round(config.dwellSeconds() * 1000));
        this.clock = clock;
    }

    public ThermalLevel level() {
        return level;
    }

    /** Takes one look at the heat; the step to make now, if any (the level has then changed). */
    public Optional<Step> observe(Heat heat) {
        Instant now = clock.instant();
        boolean hot = heat.celsius() >= stepDownAtC || heat.throttled();
        boolean cool = !hot && heat.celsius() <= stepUpAtC;
        coolSince = cool ? Optional.of(coolSince.orElse(now)) : Optional.empty();
        boolean dwelt = lastStep.map(t -> !now.isBefore(t.plus(dwell))).orElse(true);
        if (hot && !level.lowest() && dwelt) {
            return Optional.of(step(level.lower(), heat, now));
        }
        boolean cooledLongEnough = coolSince.map(t -> !now.isBefore(t.plus(dwell))).orElse(false);
        if (cool && level != ThermalLevel.FULL && dwelt && cooledLongEnough) {
            coolSince = Optional.of(now); // the next step up needs another dwell of cool
            return Optional.of(step(level.higher(), heat, now));
        }
        return Optional.empty();
    }

    private Step step(ThermalLevel to, Heat heat, Instant now) {
        Step s = new Step(level, to, heat, now);
        level = to;
        lastStep = Optional.of(now);
        return s;
    }
}

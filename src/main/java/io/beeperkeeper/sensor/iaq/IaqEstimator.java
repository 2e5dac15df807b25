package io.beeperkeeper.sensor.iaq;

import io.beeperkeeper.sensor.IaqClass;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * An open indoor-air-quality estimate (0-500, Bosch's scale and classes) from BME680 gas resistance and
 * humidity; Bosch's own BSEC is closed source, so this is not BSEC's number, only one on the same scale.
 *
 * <p>How: VOCs lower the heated metal-oxide layer's resistance, so the estimate compares the current gas
 * resistance with a rolling "clean air" baseline. During burn-in (default 5 minutes) the baseline is the
 * highest resistance seen and the result has accuracy 0. Afterwards the baseline follows higher readings
 * quickly (time constant 5 minutes: fresh air) and lower ones slowly (24 hours: sensor drift, not a
 * polluted afternoon). Score = 75 % gas (current/baseline, capped at 1) + 25 % humidity (best at 40 % RH,
 * falling linearly to 0 at 0 % and 100 %); IAQ = (100 - score) * 5. {@code iaq_accuracy}: 0 burn-in,
 * 1 for the first hour after it, 2 up to a day, 3 after a day of baseline history.
 * State lives in the instance; one estimator per sensor.
 */
public final class IaqEstimator {
    /** One estimate: index 0-500, accuracy 0-3, Bosch class name, the baseline it was computed against. */
    public record Iaq(int index, int accuracy, String classification, double baselineOhm) {
    }

    /** What survives a restart: the clean-air baseline and how long it has been learnt. */
    public record Saved(double baselineOhm, Instant start, Instant last) {
    }

    /** A saved baseline older than this is not trusted: the sensor burns in again. */
    static final Duration MAX_SAVED_AGE = Duration.ofDays(7);
    // hourly: each save is a new file and a rename on the SD card; a restart loses at most an hour of a 24 h baseline
    private static final Duration SAVE_EVERY = Duration.ofHours(1);

    static final double HUMIDITY_OPTIMUM = 40.0;
    static final double HUMIDITY_WEIGHT = 25.0;
    static final double GAS_WEIGHT = 75.0;
    private static final Duration RISE = Duration.ofMinutes(5);
    private static final Duration DECAY = Duration.ofHours(24);

    private final Duration burnIn;
    private Instant start;
    private Instant last;
    private double baseline = Double.NaN;
    private final java.util.function.Consumer<Saved> persist;
    private Instant lastSaved;
    private Saved saved;

    public IaqEstimator(Duration burnIn) {
        this(burnIn, null, s -> { });
    }

    /**
     * @param saved   the baseline saved by an earlier run, or null; used only when at most
     *                {@link #MAX_SAVED_AGE} old, so a restart does not start the burn-in again
     * @param persist called every hour of readings with the state to save (the hub writes a file)
     */
    public IaqEstimator(Duration burnIn, Saved saved, java.util.function.Consumer<Saved> persist) {
        if (burnIn.isNegative()) {
            throw new IllegalArgumentException("burn-in cannot be negative");
        }
        this.burnIn = burnIn;
        this.persist = persist;
        this.saved = saved != null && saved.baselineOhm() > 0 && Double.isFinite(saved.baselineOhm()) ? saved : null;
    }

    /** Feeds one reading; empty when there is no valid gas value (heater not stable, IIO without gas). */
    public Optional<Iaq> update(Instant time, double gasOhm, double humidityRh) {
        if (!(gasOhm > 0) || Double.isInfinite(gasOhm) || Double.isNaN(humidityRh)) {
            return Optional.empty();
        }
        if (start == null && saved != null && !saved.last().isAfter(time)
                && Duration.between(saved.last(), time).compareTo(MAX_SAVED_AGE) <= 0) {
            start = saved.start();
            last = saved.last();
            baseline = saved.baselineOhm();
            lastSaved = saved.last();
        }
        saved = null;
        if (start == null) {
            start = time;
            last = time;
            baseline = gasOhm;
        }
        Duration age = Duration.between(start, time);
        boolean burningIn = age.compareTo(burnIn) < 0;
        if (burningIn) {
            baseline = Math.max(baseline, gasOhm);
        } else {
            double dt = Math.max(0, Duration.between(last, time).toMillis() / 1000.0);
            Duration tau = gasOhm > baseline ? RISE : DECAY;
            double alpha = 1 - Math.exp(-dt / tau.toSeconds());
            baseline += (gasOhm - baseline) * alpha;
        }
        last = time;
        if (lastSaved == null || Duration.between(lastSaved, time).compareTo(SAVE_EVERY) >= 0) {
            lastSaved = time;
            persist.accept(new Saved(baseline, start, time));
        }
        int index = index(gasOhm, baseline, humidityRh);
        int accuracy;
        if (burningIn) {
            accuracy = 0;
        } else if (age.minus(burnIn).compareTo(Duration.ofHours(1)) < 0) {
            accuracy = 1;
        } else if (age.minus(burnIn).compareTo(Duration.ofDays(1)) < 0) {
            accuracy = 2;
        } else {
            accuracy = 3;
        }
        return Optional.of(new Iaq(index, accuracy, classify(index), baseline));
    }

    /** The index for a gas resistance against a baseline and a humidity: 0 (best) to 500. */
    static int index(double gasOhm, double baselineOhm, double humidityRh) {
        double h = Math.max(0, Math.min(100, humidityRh));
        double humScore = h >= HUMIDITY_OPTIMUM
                ? (100 - h) / (100 - HUMIDITY_OPTIMUM) * HUMIDITY_WEIGHT
                : h / HUMIDITY_OPTIMUM * HUMIDITY_WEIGHT;
        double gasScore = Math.min(1.0, gasOhm / baselineOhm) * GAS_WEIGHT;
        double score = humScore + gasScore;
        return (int) Math.round(Math.max(0, Math.min(500, (100 - score) * 5)));
    }

    /** Bosch's IAQ classes ({@link IaqClass}, shared with the simulated sensor). */
    public static String classify(int iaq) {
        return IaqClass.of(iaq).label();
    }
}

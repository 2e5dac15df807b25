package io.beeperkeeper.sensor.sim;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Random;

/**
 * A plausible day in a chicken coop, used by all simulated sensors so that they agree with each
 * other: cool humid nights, a warm afternoon, lights on 06:00-21:00 local time, birds stirring up
 * dust (lower gas resistance, worse air) while the lights are on.
 */
public final class CoopDay {
    public static final int LIGHTS_ON_HOUR = 6;
    public static final int LIGHTS_OFF_HOUR = 21;

    private final ZoneId zone;
    private final Random random;
    private double pressureHpa = 1013.0;

    public CoopDay(ZoneId zone, Random random) {
        this.zone = zone;
        this.random = random;
    }

    /** Hours since local midnight, fractional. */
    public double hourOfDay(Instant t) {
        ZonedDateTime z = t.atZone(zone);
        return z.getHour() + z.getMinute() / 60.0 + z.getSecond() / 3600.0;
    }

    public boolean lightsOn(Instant t) {
        double h = hourOfDay(t);
        return h >= LIGHTS_ON_HOUR && h < LIGHTS_OFF_HOUR;
    }

    /** Daily curve peaking at 15:00, coldest at 03:00. */
    private double dayPhase(Instant t) {
        return Math.sin(2 * Math.PI * (hourOfDay(t) - 9) / 24);
    }

    public double temperatureC(Instant t) {
        return 15.0 + 6.0 * dayPhase(t) + noise(0.15);
    }

    public double humidityPercent(Instant t) {
        return clamp(68.0 - 14.0 * dayPhase(t) + noise(0.6), 5, 100);
    }

    /** Drifts slowly like weather: a bounded random walk. */
    public synchronized double pressureHpa() {
        pressureHpa = clamp(pressureHpa + noise(0.05) + (1013.0 - pressureHpa) * 0.002, 960, 1060);
        return pressureHpa;
    }

    public double gasResistanceOhm(Instant t) {
        double base = lightsOn(t) ? 95_000 : 140_000;
        return Math.max(5_000, base + noise(3_000));
    }

    public double lux(Instant t) {
        if (!lightsOn(t)) {
            return Math.max(0, 2 + noise(0.5));
        }
        double h = hourOfDay(t);
        // a ten-minute dimmer ramp at each end, as coop light timers do
        double ramp = Math.min(1, Math.min((h - LIGHTS_ON_HOUR) * 6, (LIGHTS_OFF_HOUR - h) * 6));
        return Math.max(0, 320 * ramp + 10 + noise(8));
    }

    public double audioLevelDb(Instant t) {
        double base = lightsOn(t) ? -38 : -55;
        double cluck = random.nextDouble() < 0.1 ? 12 * random.nextDouble() : 0;
        return clamp(base + cluck + noise(1.5), -90, 0);
    }

    double noise(double sigma) {
        return random.nextGaussian() * sigma;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}

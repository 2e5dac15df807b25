package io.beeperkeeper.thermal;

import io.beeperkeeper.sensor.system.ThrottleFlags;

import java.util.Locale;
import java.util.Optional;

/**
 * One look at the CPU: its temperature and, where the firmware reports them, the throttle flags.
 *
 * @param throttle empty off a Pi (no firmware node, no vcgencmd)
 */
public record Heat(double celsius, Optional<ThrottleFlags> throttle) {
    /** Bits of the throttle word that mean the CPU is held back now: arm frequency capping, throttling, soft temperature limit. */
    static final long THROTTLED_NOW = 0b1110;

    public static Heat of(double celsius) {
        return new Heat(celsius, Optional.empty());
    }

    public static Heat of(double celsius, long throttleWord) {
        return new Heat(celsius, Optional.of(new ThrottleFlags(throttleWord)));
    }

    /**
     * Whether the firmware holds the CPU back now (capped, throttled, or at its soft temperature limit);
     * under-voltage alone and the "has occurred" bits (since boot) do not count.
     */
    public boolean throttled() {
        return throttle.map(f -> (f.value() & THROTTLED_NOW) != 0).orElse(false);
    }

    /** "69.2 °C, throttle 0x80008 (soft temperature limit active; ...)" for logs and health. */
    public String describe() {
        String t = String.format(Locale.ROOT, "%.1f °C", celsius);
        return throttle.map(f -> t + ", throttle " + f.hex() + " (" + f.describe() + ")").orElse(t);
    }
}

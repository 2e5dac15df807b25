package io.beeperkeeper.sensor.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Raspberry Pi firmware's throttle word ({@code vcgencmd get_throttled}, or the firmware's
 * {@code get_throttled} sysfs node) decoded into named flags: bits 0-3 are the state now, bits 16-19 the
 * same conditions since boot. {@code 0x80008} reads "soft temperature limit active; soft temperature
 * limit has occurred".
 */
public record ThrottleFlags(long value) {
    private static final String[] NAMES = {"under-voltage", "arm frequency capping", "throttling", "soft temperature limit"};

    /** Parses "throttled=0x80008" (vcgencmd), "0x80008" or "80008" (the sysfs node prints bare hex). */
    public static ThrottleFlags parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("throttled=")) {
            t = t.substring("throttled=".length());
        }
        if (t.startsWith("0x")) {
            t = t.substring(2);
        }
        if (!t.matches("[0-9a-f]{1,8}")) {
            throw new IllegalArgumentException("'" + text.trim() + "' is not a throttle value; give the hex word"
                    + " vcgencmd get_throttled prints, such as 0x80008");
        }
        return new ThrottleFlags(Long.parseLong(t, 16));
    }

    public boolean active(int condition) {
        return (value & (1L << condition)) != 0;
    }

    public boolean occurred(int condition) {
        return (value & (1L << (16 + condition))) != 0;
    }

    /** Whether anything is wrong now (bits 0-3). */
    public boolean anyActive() {
        return (value & 0xF) != 0;
    }

    /** The named flags in bit order, e.g. ["soft temperature limit active", "soft temperature limit has occurred"]. */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < NAMES.length; i++) {
            if (active(i)) {
                out.add(NAMES[i] + " active");
            }
        }
        for (int i = 0; i < NAMES.length; i++) {
            if (occurred(i)) {
                out.add(NAMES[i] + " has occurred");
            }
        }
        for (int bit = 0; bit < 32; bit++) {
            boolean known = bit < 4 || (bit >= 16 && bit < 20);
            if (!known && (value & (1L << bit)) != 0) {
                out.add("unknown bit " + bit);
            }
        }
        return out;
    }

    /** The decoding as one line; "no throttling" for 0. */
    public String describe() {
        List<String> n = names();
        return n.isEmpty() ? "no throttling" : String.join("; ", n);
    }

    public String hex() {
        return "0x" + Long.toHexString(value);
    }
}

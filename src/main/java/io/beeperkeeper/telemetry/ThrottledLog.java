package io.beeperkeeper.telemetry;

import org.slf4j.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A warning at most once per {@code every} per key (an MQTT topic), saying how many were held back
 * since, so a flood of bad messages is one log line a minute per topic, not a full SD card. The keys
 * come from whoever publishes, so at most {@code maxKeys} are remembered; beyond that all others share
 * one key.
 */
final class ThrottledLog {
    private static final String OTHERS = "(other topics)";

    private final Logger log;
    private final Clock clock;
    private final Duration every;
    private final int maxKeys;
    private final Map<String, long[]> state = new HashMap<>(); // key -> {last logged epoch ms, held back}

    ThrottledLog(Logger log, Clock clock, Duration every, int maxKeys) {
        this.log = log;
        this.clock = clock;
        this.every = every;
        this.maxKeys = maxKeys;
    }

    /** Logs {@code format} (with "{}" for the key first, then args) unless this key logged recently. */
    synchronized void warn(String key, String format, Object... args) {
        String k = state.containsKey(key) || state.size() < maxKeys ? key : OTHERS;
        Instant now = clock.instant();
        long[] s = state.computeIfAbsent(k, x -> new long[]{Long.MIN_VALUE, 0});
        if (s[0] != Long.MIN_VALUE && now.toEpochMilli() - s[0] < every.toMillis()) {
            s[1]++;
            return;
        }
        long held = s[1];
        s[0] = now.toEpochMilli();
        s[1] = 0;
        Object[] all = new Object[args.length + 2];
        all[0] = key;
        System.arraycopy(args, 0, all, 1, args.length);
        all[all.length - 1] = held == 0 ? "" : " (" + held + " more on this topic not logged in the last " + every.toSeconds() + " s)";
        log.warn(format + "{}", all);
    }
}

package io.beeperkeeper.history;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which samples the raw tier stores when {@code history.rawIntervalSeconds} thins it: the first sample
 * of each series in each window of that length. The others still count in the 1-minute and 1-hour
 * figures, so the charts' min, mean and max stay exact, while the SD card sees a fraction of the raw
 * rows (a sound level every second is most of them).
 *
 * <p>A stored sample that arrives again (a retained MQTT message delivered once more) is refused by
 * its row's key; a sample kept only in the figures is refused here: when it is the series' newest
 * as the hub started (the retained one after a restart) or one already seen in the current window. A late sample of an
 * older window (a node's queue replayed) is stored as it is. Writer thread only.
 */
final class RawThinning {
    /** What becomes of one sample. */
    enum Verdict { STORE, FIGURES_ONLY, DUPLICATE }

    private final long intervalMillis;
    private final Map<Long, Window> windows = new HashMap<>();
    private final Set<Long> seenSinceStart = new HashSet<>();

    /** The current window of one series: its number, the stored sample's time and the others seen in it. */
    private static final class Window {
        final long number;
        final long storedT;
        final Set<Long> seen = new HashSet<>();

        Window(long number, long storedT) {
            this.number = number;
            this.storedT = storedT;
        }
    }

    RawThinning(int intervalSeconds) {
        this.intervalMillis = intervalSeconds * 1000L;
    }

    Verdict judge(Series s, long t) {
        if (intervalMillis <= 0) {
            return Verdict.STORE;
        }
        if (seenSinceStart.add(s.id) && t == s.lastT) {
            return Verdict.DUPLICATE; // the newest sample before a restart (its retained message), counted then
        }
        long number = Math.floorDiv(t, intervalMillis);
        Window w = windows.get(s.id);
        if (w != null && number == w.number) {
            return t == w.storedT || !w.seen.add(t) ? Verdict.DUPLICATE : Verdict.FIGURES_ONLY;
        }
        if (w != null && number < w.number) {
            return Verdict.STORE; // late: its key refuses it if it is stored already
        }
        windows.put(s.id, new Window(number, t));
        return Verdict.STORE;
    }

    /** After a failed commit nothing of the batch is stored: its retry is judged afresh. */
    void forget() {
        windows.clear();
    }
}

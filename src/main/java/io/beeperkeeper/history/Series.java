package io.beeperkeeper.history;

import java.util.HashMap;
import java.util.Map;

/**
 * One stored series (a metric of one node) with its database id. The span ({@code firstT},
 * {@code lastT}) and unit are read by queries on any thread; the rollups being filled belong to the
 * writer thread.
 */
final class Series {
    final long id;
    final String node;
    final String metric;
    final boolean derived;
    volatile String unit;
    volatile long firstT = Long.MAX_VALUE;
    volatile long lastT = Long.MIN_VALUE;

    // Writer thread only.
    boolean dirty;
    final Map<Long, Agg> pendingMinute = new HashMap<>();
    final Map<Long, Agg> pendingHour = new HashMap<>();
    long lastMinuteT;
    Agg lastMinute;
    long lastHourT;
    Agg lastHour;

    Series(long id, String node, String metric, boolean derived) {
        this.id = id;
        this.node = node;
        this.metric = metric;
        this.derived = derived;
    }

    /** True once a sample of this series is stored. */
    boolean hasData() {
        return lastT != Long.MIN_VALUE;
    }
}

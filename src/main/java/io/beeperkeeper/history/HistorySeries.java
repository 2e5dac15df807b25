package io.beeperkeeper.history;

import java.time.Instant;

/**
 * The answer to a history query, in columns (as uPlot wants them): for each bucket its start in epoch
 * seconds and the min, mean and max of the samples in it.
 */
public record HistorySeries(String metric, String node, String unit, Instant from, Instant to,
                            Resolution resolution, long stepSeconds,
                            long[] t, double[] min, double[] mean, double[] max) {
    public int size() {
        return t.length;
    }
}

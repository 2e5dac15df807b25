package io.beeperkeeper.history;

import java.time.Instant;

/**
 * What a chart asks for: one metric (of one node; null node means "the only node that has it") from
 * {@code from} (inclusive) to {@code to} (exclusive) in about {@code points} points.
 */
public record HistoryQuery(String metric, String node, Instant from, Instant to, int points) {
    public static final int MAX_POINTS = 10_000;
    /** The times a query may name: years 0000 to 9999, far inside what the store counts in milliseconds. */
    public static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    public HistoryQuery {
        if (metric == null || metric.isBlank()) {
            throw new IllegalArgumentException("metric is missing");
        }
        if (from == null || to == null || !from.isBefore(to)) {
            throw new IllegalArgumentException("'from' must be before 'to'");
        }
        if (from.isBefore(EARLIEST) || to.isAfter(LATEST)) {
            throw new IllegalArgumentException("times must be from year 0000 to 9999, got " + from + " to " + to);
        }
        if (points < 1 || points > MAX_POINTS) {
            throw new IllegalArgumentException("points must be from 1 to " + MAX_POINTS + ", got " + points);
        }
    }
}

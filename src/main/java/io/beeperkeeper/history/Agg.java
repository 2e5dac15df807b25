package io.beeperkeeper.history;

/** A rollup bucket being filled: min, max, sum and count of the samples that fell into it. */
final class Agg {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum;
    long count;

    void add(double v) {
        if (v < min) {
            min = v;
        }
        if (v > max) {
            max = v;
        }
        sum += v;
        count++;
    }

    /** Adds a whole bucket (or one row of a tier) to this one. */
    void merge(double mn, double mx, double sm, long c) {
        min = Math.min(min, mn);
        max = Math.max(max, mx);
        sum += sm;
        count += c;
    }
}

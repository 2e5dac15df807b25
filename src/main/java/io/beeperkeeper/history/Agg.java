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
}

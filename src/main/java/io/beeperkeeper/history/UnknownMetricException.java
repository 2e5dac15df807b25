package io.beeperkeeper.history;

/** A query named a metric (or node) the store has never seen, or one that several nodes share. */
public final class UnknownMetricException extends RuntimeException {
    public UnknownMetricException(String message) {
        super(message);
    }
}

package io.beeperkeeper.history;

/** The store cannot do what was asked (file unusable, write or query failed); the message names the fix. */
final class HistoryException extends RuntimeException {
    public HistoryException(String message, Throwable cause) {
        super(message, cause);
    }
}

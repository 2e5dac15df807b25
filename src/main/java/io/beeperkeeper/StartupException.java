package io.beeperkeeper;

/**
 * Start-up cannot go on because of something the user can fix (a taken port, a missing folder). The
 * message names the fix; the launcher prints it without a stack trace.
 */
public final class StartupException extends RuntimeException {
    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}

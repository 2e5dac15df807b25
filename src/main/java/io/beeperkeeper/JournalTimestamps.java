package io.beeperkeeper;

import ch.qos.logback.core.PropertyDefinerBase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The start of each log line's pattern: the time and the level, or the level alone when the log goes
 * to the systemd journal (which stamps every line itself); logback.xml puts this value at the start
 * of its pattern (it trims a value's spaces, so the time is never returned alone). Standard output is
 * the journal when {@code $JOURNAL_STREAM} names its device and inode, as systemd documents; a child
 * that inherited the variable but writes elsewhere (a terminal, a file) keeps its timestamps.
 */
public final class JournalTimestamps extends PropertyDefinerBase {
    static final String LEVEL = "%-5level";
    static final String TIME_AND_LEVEL = "%d{HH:mm:ss.SSS} " + LEVEL;

    @Override
    public String getPropertyValue() {
        return prefix(System.getenv("JOURNAL_STREAM"), stdoutIdentity());
    }

    /**
     * @param journalStream {@code $JOURNAL_STREAM} ("device:inode"), or null
     * @param stdout        standard output's "device:inode", or empty when it cannot be read
     */
    static String prefix(String journalStream, Optional<String> stdout) {
        boolean journal = journalStream != null && stdout.isPresent() && journalStream.trim().equals(stdout.get());
        return journal ? LEVEL : TIME_AND_LEVEL;
    }

    /** Standard output's device and inode as systemd writes them into JOURNAL_STREAM. */
    static Optional<String> stdoutIdentity() {
        try {
            Path fd = Path.of("/proc/self/fd/1");
            Object dev = Files.getAttribute(fd, "unix:dev");
            Object ino = Files.getAttribute(fd, "unix:ino");
            return Optional.of(dev + ":" + ino);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return Optional.empty();
        }
    }
}

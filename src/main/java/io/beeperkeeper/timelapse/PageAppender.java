package io.beeperkeeper.timelapse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * Appends to a file in whole 4 KB pages, so that each page reaches the SD card once: the bytes past
 * the last page boundary wait in memory until the next append completes the page, or until
 * {@link #flush} (on close, or when they have waited too long). A page written half-full and then
 * completed would be dirtied, and written to the card, twice; with a 20-byte index entry or a 16 kB
 * keyframe every 30 s that doubled what the time-lapse cost the card. What a crash or power cut loses
 * is the waiting tail, less than a page.
 *
 * <p>Not thread-safe: one writer. {@link #onDisk} and {@link #tail} are what a reader may combine.
 */
final class PageAppender {
    static final int PAGE = 4096;

    private final FileChannel file;
    private long onDisk;
    private byte[] tail = new byte[0];
    private long tailSinceMs = -1;

    /** @param file open for writing, positioned nowhere in particular; {@code onDisk} is its length */
    PageAppender(FileChannel file, long onDisk) {
        this.file = file;
        this.onDisk = onDisk;
    }

    /** Appends {@code bytes}: what completes pages is written now, the rest waits. */
    void append(byte[] bytes, long nowMs) throws IOException {
        if (bytes.length == 0) {
            return;
        }
        byte[] all = Arrays.copyOf(tail, tail.length + bytes.length);
        System.arraycopy(bytes, 0, all, tail.length, bytes.length);
        long end = onDisk + all.length;
        int now = (int) (end / PAGE * PAGE - onDisk);
        if (now > 0) {
            write(all, now);
            tail = Arrays.copyOfRange(all, now, all.length);
            tailSinceMs = tail.length == 0 ? -1 : nowMs;
        } else {
            tail = all;
            if (tailSinceMs < 0) {
                tailSinceMs = nowMs;
            }
        }
    }

    /** Writes the waiting tail if it has waited {@code maxWaitMs} or more; returns whether it did. */
    boolean flushOlderThan(long maxWaitMs, long nowMs) throws IOException {
        if (tail.length > 0 && nowMs - tailSinceMs >= maxWaitMs) {
            flush();
            return true;
        }
        return false;
    }

    /** Writes the waiting tail (a partial page, which the next append dirties again). */
    void flush() throws IOException {
        if (tail.length > 0) {
            write(tail, tail.length);
            tail = new byte[0];
            tailSinceMs = -1;
        }
    }

    private void write(byte[] bytes, int length) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes, 0, length);
        long at = onDisk;
        while (b.hasRemaining()) {
            at += file.write(b, at);
        }
        onDisk = at;
    }

    /** Bytes in the file. */
    long onDisk() {
        return onDisk;
    }

    /** A copy of the bytes that follow {@link #onDisk}, not written yet. */
    byte[] tail() {
        return tail.clone();
    }

    /** Bytes appended so far, written or waiting. */
    long length() {
        return onDisk + tail.length;
    }
}

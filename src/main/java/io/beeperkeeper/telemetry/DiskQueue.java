package io.beeperkeeper.telemetry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A bounded FIFO of MQTT messages on disk, for readings taken while the broker is away: they survive a
 * restart of the hub and are delivered in order once the broker is back. Storage is a folder of
 * segment files ({@code 000000000001.seg}, one message per line: topic and base64 payload) plus a
 * {@code head} file saying how many lines of the oldest segment were already delivered. When more than
 * {@code capacity} messages wait, the oldest is dropped and {@link #dropped()} counts it. Appends write
 * one line (no fsync: a power cut may lose the last few, never reorder them); acknowledging persists the
 * head every {@code HEAD_EVERY} messages and when a segment ends, so a crash re-delivers at most that
 * many (at-least-once). Memory: only the per-segment counts. Thread-safe.
 */
final class DiskQueue {
    /** One queued message. */
    public record Message(String topic, byte[] payload, boolean retained) {
    }

    static final int SEGMENT_SIZE = 500;
    static final int HEAD_EVERY = 50;

    private final Path dir;
    private final int capacity;
    /** Segment ids oldest first, with the number of lines each holds. */
    private final Deque<long[]> segments = new ArrayDeque<>();
    private long headSkip;
    private long size;
    private long dropped;
    private int unsavedAcks;

    public DiskQueue(Path dir, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.dir = dir;
        this.capacity = capacity;
        try {
            Files.createDirectories(dir);
            load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the outgoing message queue in " + dir + ": " + e.getMessage(), e);
        }
    }

    private void load() throws IOException {
        List<Long> ids = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{12}\\.seg"))
                    .map(n -> Long.parseLong(n.substring(0, 12))).sorted().forEach(ids::add);
        }
        for (long id : ids) {
            long lines;
            try (Stream<String> l = Files.lines(segment(id), StandardCharsets.US_ASCII)) {
                lines = l.filter(x -> !x.isEmpty()).count();
            }
            segments.add(new long[]{id, lines});
            size += lines;
        }
        Path head = dir.resolve("head");
        if (Files.exists(head) && !segments.isEmpty()) {
            String[] h = Files.readString(head).trim().split(" ");
            if (h.length == 2 && Long.parseLong(h[0]) == segments.peekFirst()[0]) {
                headSkip = Math.min(Long.parseLong(h[1]), segments.peekFirst()[1]);
                size -= headSkip;
            }
        }
        dropOldestSegmentIfConsumed();
    }

    public synchronized void add(Message m) {
        try {
            long[] last = segments.peekLast();
            if (last == null || last[1] >= SEGMENT_SIZE) {
                last = new long[]{last == null ? 1 : last[0] + 1, 0};
                segments.add(last);
            }
            String line = (m.retained() ? "r " : "n ") + m.topic() + " " + Base64.getEncoder().encodeToString(m.payload()) + "\n";
            Files.writeString(segment(last[0]), line, StandardCharsets.US_ASCII, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            last[1]++;
            size++;
            while (size > capacity) {
                dropped++;
                removeHead();
            }
        } catch (IOException e) {
            dropped++;
            throw new UncheckedIOException("cannot queue an MQTT message in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The oldest waiting messages, up to {@code max}, without removing them. */
    public synchronized List<Message> peek(int max) {
        List<Message> out = new ArrayList<>();
        long skip = headSkip;
        for (long[] seg : segments) {
            if (out.size() >= max) {
                break;
            }
            try (BufferedReader r = Files.newBufferedReader(segment(seg[0]), StandardCharsets.US_ASCII)) {
                String line;
                long index = 0;
                while ((line = r.readLine()) != null && out.size() < max) {
                    if (line.isEmpty()) {
                        continue;
                    }
                    if (index++ < skip) {
                        continue;
                    }
                    out.add(parse(line));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            skip = 0;
        }
        return out;
    }

    /** Removes the {@code n} oldest messages once they have been delivered. */
    public synchronized void acknowledge(int n) {
        for (int i = 0; i < n && size > 0; i++) {
            removeHead();
        }
        unsavedAcks += n;
        if (unsavedAcks >= HEAD_EVERY || size == 0) {
            saveHead();
        }
    }

    private void removeHead() {
        headSkip++;
        size--;
        dropOldestSegmentIfConsumed();
    }

    private void dropOldestSegmentIfConsumed() {
        long[] first = segments.peekFirst();
        if (first != null && headSkip >= first[1] && (segments.size() > 1 || first[1] >= SEGMENT_SIZE || size == 0)) {
            segments.pollFirst();
            headSkip = 0;
            try {
                Files.deleteIfExists(segment(first[0]));
            } catch (IOException ignored) {
                // a leftover segment is re-read and skipped by count at the next start
            }
            saveHead();
        }
    }

    private void saveHead() {
        unsavedAcks = 0;
        long[] first = segments.peekFirst();
        try {
            Path tmp = dir.resolve("head.tmp");
            Files.writeString(tmp, (first == null ? 0 : first[0]) + " " + headSkip + "\n");
            Files.move(tmp, dir.resolve("head"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // worst case: re-delivery of acknowledged messages after a restart
        }
    }

    private static Message parse(String line) {
        String[] f = line.split(" ", 3);
        return new Message(f[1], Base64.getDecoder().decode(f[2]), f[0].equals("r"));
    }

    private Path segment(long id) {
        return dir.resolve(String.format("%012d.seg", id));
    }

    public int capacity() {
        return capacity;
    }

    public synchronized long size() {
        return size;
    }

    public synchronized long dropped() {
        return dropped;
    }

    public synchronized boolean isEmpty() {
        return size == 0;
    }

    public synchronized Optional<Message> first() {
        List<Message> l = peek(1);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }
}

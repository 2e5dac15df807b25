package io.beeperkeeper.timelapse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a camera's day that keyframes are appended to: its {@code .avc} and {@code .idx} files
 * open for appending, each through a {@link PageAppender}, so the SD card gets every page once and
 * the time-lapse costs it the bytes it keeps. Each keyframe starts with its {@link KeyframeMarker};
 * the index follows a page at a time, and a crash loses at most the keyframe whose page had not
 * filled yet (or the tail of at most {@link #MAX_TAIL_WAIT_MS} of small night keyframes). Opening a
 * part that already has keyframes (the hub restarted mid-day) finds the ones its index had not got
 * from their markers and cuts off what a crash left half-written.
 *
 * <p>One writer thread; {@link #view} may be read from any thread.
 */
final class PartWriter implements AutoCloseable {
    /** How long the bytes of a page that is not full may wait in memory before they are written anyway. */
    static final long MAX_TAIL_WAIT_MS = 5 * 60_000;

    /**
     * What a reader sees of the part now: its entries, of which the bytes from {@code onDisk} on are
     * {@code tail} (in memory, not written yet). Immutable; the files only grow behind it.
     */
    record View(List<Index.Entry> entries, long onDisk, byte[] tail) {
        long end() {
            return onDisk + tail.length;
        }
    }

    private final Part part;
    private final Params params;
    private final FileChannel samplesFile;
    private final FileChannel indexFile;
    private final PageAppender samples;
    private final PageAppender index;
    private final List<Index.Entry> entries;
    private volatile View view;

    private PartWriter(Part part, Params params, FileChannel samplesFile, FileChannel indexFile, Index.Loaded loaded) {
        this.part = part;
        this.params = params;
        this.samplesFile = samplesFile;
        this.indexFile = indexFile;
        this.samples = new PageAppender(samplesFile, loaded.end());
        this.index = new PageAppender(indexFile, (long) loaded.inIndex() * Index.ENTRY_BYTES);
        this.entries = new ArrayList<>(loaded.entries());
        publish();
    }

    /** Continues {@code part} (its params file exists and matches) or starts it (writes its params). */
    static PartWriter open(Part part, Params params, long nowMs) throws IOException {
        Files.createDirectories(part.dir());
        if (!Files.exists(part.params())) {
            params.write(part.params());
        }
        Index.Loaded loaded = Index.load(part.index(), part.samples());
        FileChannel s = FileChannel.open(part.samples(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileChannel i;
        try {
            i = FileChannel.open(part.index(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        PartWriter w;
        try {
            s.truncate(loaded.end());
            i.truncate((long) loaded.inIndex() * Index.ENTRY_BYTES);
            w = new PartWriter(part, params, s, i, loaded);
            // the keyframes found by their markers go into the index with the next ones
            for (Index.Entry e : loaded.entries().subList(loaded.inIndex(), loaded.entries().size())) {
                w.index.append(Index.encode(e).array(), nowMs);
            }
        } catch (IOException e) {
            s.close();
            i.close();
            throw e;
        }
        return w;
    }

    Part part() {
        return part;
    }

    Params params() {
        return params;
    }

    int frames() {
        return entries.size();
    }

    View view() {
        return view;
    }

    /**
     * Appends one keyframe: its marker, then its NAL units, each behind a 4-byte length; then its index
     * entry. What does not fill a page yet waits in memory.
     *
     * @return the keyframe's bytes (marker included) and its index entry
     */
    long append(List<byte[]> nals, Instant takenAt) throws IOException {
        int length = KeyframeMarker.BYTES;
        for (byte[] n : nals) {
            length += 4 + n.length;
        }
        long ms = takenAt.toEpochMilli();
        ByteBuffer b = ByteBuffer.allocate(length);
        b.put(KeyframeMarker.encode(ms, length));
        for (byte[] n : nals) {
            b.putInt(n.length).put(n);
        }
        Index.Entry entry = new Index.Entry(samples.length(), length, ms);
        samples.append(b.array(), ms);
        index.append(Index.encode(entry).array(), ms);
        entries.add(entry);
        samples.flushOlderThan(MAX_TAIL_WAIT_MS, ms);
        publish();
        return length + Index.ENTRY_BYTES;
    }

    /** Writes the keyframe bytes that have waited {@link #MAX_TAIL_WAIT_MS} for their page to fill. */
    void flushStale(long nowMs) throws IOException {
        if (samples.flushOlderThan(MAX_TAIL_WAIT_MS, nowMs)) {
            publish();
        }
    }

    private void publish() {
        view = new View(List.copyOf(entries), samples.onDisk(), samples.tail());
    }

    @Override
    public void close() throws IOException {
        try {
            samples.flush();
            index.flush();
        } finally {
            try {
                samplesFile.close();
            } finally {
                indexFile.close();
            }
        }
    }
}

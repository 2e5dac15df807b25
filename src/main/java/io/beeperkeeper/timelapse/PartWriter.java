package io.beeperkeeper.timelapse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * The part of a camera's day that keyframes are appended to: its {@code .avc} and {@code .idx} files
 * open for appending, one write each per keyframe (no rewrite, no per-keyframe sync: what the SD card
 * sees is two sequential appends every interval). Opening a part that already has keyframes (the hub
 * restarted mid-day) first cuts both files back to the last whole entry.
 */
final class PartWriter implements AutoCloseable {
    private final Part part;
    private final Params params;
    private final FileChannel samples;
    private final FileChannel index;
    private long end;
    private int frames;

    private PartWriter(Part part, Params params, FileChannel samples, FileChannel index, long end, int frames) {
        this.part = part;
        this.params = params;
        this.samples = samples;
        this.index = index;
        this.end = end;
        this.frames = frames;
    }

    /** Continues {@code part} (its params file exists and matches) or starts it (writes its params). */
    static PartWriter open(Part part, Params params) throws IOException {
        Files.createDirectories(part.dir());
        if (!Files.exists(part.params())) {
            params.write(part.params());
        }
        List<Index.Entry> entries = Index.read(part.index(), part.samples());
        long end = entries.isEmpty() ? 0 : entries.get(entries.size() - 1).end();
        FileChannel s = FileChannel.open(part.samples(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileChannel i;
        try {
            i = FileChannel.open(part.index(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        try {
            s.truncate(end);
            i.truncate((long) entries.size() * Index.ENTRY_BYTES);
            s.position(end);
            i.position((long) entries.size() * Index.ENTRY_BYTES);
        } catch (IOException e) {
            s.close();
            i.close();
            throw e;
        }
        return new PartWriter(part, params, s, i, end, entries.size());
    }

    Part part() {
        return part;
    }

    Params params() {
        return params;
    }

    int frames() {
        return frames;
    }

    /**
     * Appends one keyframe: its NAL units, each behind a 4-byte length, then its index entry.
     *
     * @return the bytes written (keyframe and entry)
     */
    long append(List<byte[]> nals, Instant takenAt) throws IOException {
        int length = 0;
        for (byte[] n : nals) {
            length += 4 + n.length;
        }
        ByteBuffer b = ByteBuffer.allocate(length);
        for (byte[] n : nals) {
            b.putInt(n.length).put(n);
        }
        b.flip();
        while (b.hasRemaining()) {
            samples.write(b);
        }
        ByteBuffer e = Index.encode(new Index.Entry(end, length, takenAt.toEpochMilli()));
        while (e.hasRemaining()) {
            index.write(e);
        }
        end += length;
        frames++;
        return length + Index.ENTRY_BYTES;
    }

    @Override
    public void close() throws IOException {
        try {
            samples.close();
        } finally {
            index.close();
        }
    }
}

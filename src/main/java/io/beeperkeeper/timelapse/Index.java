package io.beeperkeeper.timelapse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A part's index: one fixed 20-byte entry per kept keyframe (where its bytes start in the
 * {@code .avc} file, how many there are, and when it was taken). The writer appends it a page at a
 * time ({@link PageAppender}), so it usually ends before the {@code .avc} file does: the keyframes
 * after its last entry are found from their {@link KeyframeMarker}s. An entry is only trusted when it
 * is whole and its bytes are all in the {@code .avc} file, so what a crash or a power cut leaves
 * half-written at the end is ignored (and cut off when the part is continued).
 */
final class Index {
    static final int ENTRY_BYTES = 20;

    private Index() {
    }

    /** One keyframe: {@code length} bytes at {@code offset} of the part's {@code .avc} file. */
    record Entry(long offset, int length, long takenAtMs) {
        long end() {
            return offset + length;
        }
    }

    static ByteBuffer encode(Entry e) {
        ByteBuffer b = ByteBuffer.allocate(ENTRY_BYTES);
        b.putLong(e.offset).putInt(e.length).putLong(e.takenAtMs).flip();
        return b;
    }

    /**
     * What a part holds on disk.
     *
     * @param entries every trusted keyframe, in order
     * @param inIndex how many of them come from the index file (the rest from their markers)
     */
    record Loaded(List<Entry> entries, int inIndex) {
        long end() {
            return entries.isEmpty() ? 0 : entries.get(entries.size() - 1).end();
        }
    }

    /** The index file's trusted entries, then the keyframes after them found by their markers. */
    static Loaded load(Path index, Path samples) throws IOException {
        long have = Files.exists(samples) ? Files.size(samples) : 0;
        List<Entry> out = readIndex(index, have);
        int inIndex = out.size();
        if (have > 0) {
            try (FileChannel ch = FileChannel.open(samples, StandardOpenOption.READ)) {
                long at = out.isEmpty() ? 0 : out.get(out.size() - 1).end();
                byte[] head = new byte[KeyframeMarker.BYTES];
                while (at + KeyframeMarker.BYTES <= have) {
                    ByteBuffer b = ByteBuffer.wrap(head);
                    while (b.hasRemaining() && ch.read(b, at + b.position()) >= 0) {
                        // a marker's bytes
                    }
                    Optional<Entry> e = KeyframeMarker.decode(head, at);
                    if (e.isEmpty() || e.get().end() > have) {
                        break;
                    }
                    out.add(e.get());
                    at = e.get().end();
                }
            }
        }
        return new Loaded(out, inIndex);
    }

    private static List<Entry> readIndex(Path index, long have) throws IOException {
        List<Entry> out = new ArrayList<>();
        if (!Files.exists(index)) {
            return out;
        }
        try (FileChannel ch = FileChannel.open(index, StandardOpenOption.READ)) {
            long whole = ch.size() / ENTRY_BYTES;
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(whole * ENTRY_BYTES, 64L * 1024 * 1024));
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // read what fits (an index holds 20 bytes a keyframe: a day at 1 s is 1.7 MB)
            }
            b.flip();
            long expected = 0;
            while (b.remaining() >= ENTRY_BYTES) {
                Entry e = new Entry(b.getLong(), b.getInt(), b.getLong());
                if (e.offset != expected || e.length <= 0 || e.end() > have) {
                    break;
                }
                out.add(e);
                expected = e.end();
            }
        }
        return out;
    }
}

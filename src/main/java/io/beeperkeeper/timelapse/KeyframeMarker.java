package io.beeperkeeper.timelapse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The first NAL unit of every kept keyframe: an H.264 SEI message of type "user data unregistered"
 * (which every decoder skips) carrying the hub's UUID, when the keyframe was taken and how many bytes
 * it fills. It makes a part's {@code .avc} file describe itself, so the index can wait in memory
 * and reach the disk a page at a time: after a crash or power cut the keyframes the index had not
 * got yet are found again by walking the file from marker to marker. The numbers are written as hex
 * digits, which never form the zero runs H.264 would have to escape.
 */
final class KeyframeMarker {
    /** The marker with its 4-byte length, as it lies in the file. */
    static final int BYTES = 48;
    private static final byte[] UUID = {
            (byte) 0xb3, 0x6e, 0x2f, (byte) 0x9a, 0x51, 0x4c, 0x47, (byte) 0xd8,
            (byte) 0x9e, 0x15, 0x6b, 0x23, (byte) 0xc4, 0x7a, 0x58, (byte) 0xe1};
    private static final int NAL = BYTES - 4;
    private static final int PAYLOAD = 16 + 16 + 8;
    private static final HexFormat HEX = HexFormat.of();

    private KeyframeMarker() {
    }

    /** @param length the whole keyframe's bytes in the file, this marker included */
    static byte[] encode(long takenAtMs, int length) {
        ByteBuffer b = ByteBuffer.allocate(BYTES);
        b.putInt(NAL).put((byte) 0x06).put((byte) 5).put((byte) PAYLOAD).put(UUID);
        b.put(String.format("%016x%08x", takenAtMs, length).getBytes(StandardCharsets.US_ASCII));
        b.put((byte) 0x80);
        return b.array();
    }

    /** What a marker says, or empty if {@code b} (at least {@link #BYTES}) does not start with one. */
    static Optional<Index.Entry> decode(byte[] b, long offset) {
        if (b.length < BYTES || ByteBuffer.wrap(b).getInt() != NAL || b[4] != 0x06 || b[5] != 5 || b[6] != PAYLOAD
                || !Arrays.equals(b, 7, 23, UUID, 0, 16) || b[BYTES - 1] != (byte) 0x80) {
            return Optional.empty();
        }
        try {
            String digits = new String(b, 23, 24, StandardCharsets.US_ASCII);
            long takenAtMs = HEX.fromHexDigitsToLong(digits, 0, 16);
            long length = HEX.fromHexDigitsToLong(digits, 16, 24);
            if (length <= BYTES || length > Integer.MAX_VALUE) {
                return Optional.empty();
            }
            return Optional.of(new Index.Entry(offset, (int) length, takenAtMs));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

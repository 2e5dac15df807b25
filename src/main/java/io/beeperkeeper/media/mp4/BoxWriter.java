package io.beeperkeeper.media.mp4;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable big-endian byte buffer that writes ISO BMFF boxes, back-patching their sizes. */
final class BoxWriter {
    private byte[] buf;
    private int len;
    private final int[] open = new int[16];
    private int depth;

    BoxWriter(int capacity) {
        buf = new byte[capacity];
    }

    BoxWriter start(String type) {
        open[depth++] = len;
        u32(0);
        fourcc(type);
        return this;
    }

    BoxWriter startFull(String type, int version, int flags) {
        start(type);
        u8(version);
        u24(flags);
        return this;
    }

    BoxWriter end() {
        int at = open[--depth];
        putU32(at, len - at);
        return this;
    }

    int position() {
        return len;
    }

    void putU32(int at, long v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    BoxWriter u8(int v) {
        ensure(1);
        buf[len++] = (byte) v;
        return this;
    }

    BoxWriter u16(int v) {
        return u8(v >>> 8).u8(v);
    }

    BoxWriter u24(int v) {
        return u8(v >>> 16).u8(v >>> 8).u8(v);
    }

    BoxWriter u32(long v) {
        ensure(4);
        putU32(len, v);
        len += 4;
        return this;
    }

    BoxWriter u64(long v) {
        return u32(v >>> 32).u32(v & 0xFFFFFFFFL);
    }

    BoxWriter zeros(int n) {
        ensure(n);
        len += n; // the array is zero-filled and only grows
        return this;
    }

    BoxWriter bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    BoxWriter fourcc(String s) {
        return bytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** The buffer itself: its first {@link #position()} bytes are what was written. */
    byte[] buffer() {
        return buf;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }
}

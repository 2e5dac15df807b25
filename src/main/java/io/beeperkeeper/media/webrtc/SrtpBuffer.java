package io.beeperkeeper.media.webrtc;

import org.jitsi.utils.ByteArrayBuffer;

/** The growable byte window jitsi-srtp transforms in place (it appends the auth tag and index). */
final class SrtpBuffer implements ByteArrayBuffer {
    private byte[] buf;
    private int offset;
    private int length;

    SrtpBuffer(byte[] data, int capacity) {
        buf = java.util.Arrays.copyOf(data, Math.max(capacity, data.length));
        length = data.length;
    }

    byte[] bytes() {
        return java.util.Arrays.copyOfRange(buf, offset, offset + length);
    }

    @Override
    public byte[] getBuffer() {
        return buf;
    }

    @Override
    public int getOffset() {
        return offset;
    }

    @Override
    public int getLength() {
        return length;
    }

    @Override
    public void setLength(int len) {
        if (len < 0 || offset + len > buf.length) {
            throw new IllegalArgumentException("length");
        }
        length = len;
    }

    @Override
    public void setOffset(int off) {
        if (off < 0 || off + length > buf.length) {
            throw new IllegalArgumentException("offset");
        }
        offset = off;
    }

    @Override
    public boolean isInvalid() {
        return false;
    }

    @Override
    public void readRegionToBuff(int off, int len, byte[] out) {
        if (off >= 0 && len > 0 && offset + off + len <= buf.length && out.length >= len) {
            System.arraycopy(buf, offset + off, out, 0, len);
        }
    }

    @Override
    public void grow(int howMuch) {
        if (howMuch < 0) {
            throw new IllegalArgumentException("howMuch");
        }
        if (length + howMuch > buf.length - offset) {
            byte[] n = new byte[length + howMuch];
            System.arraycopy(buf, offset, n, 0, length);
            buf = n;
            offset = 0;
        }
    }

    @Override
    public void append(byte[] data, int len) {
        if (data != null && len > 0) {
            grow(len);
            System.arraycopy(data, 0, buf, offset + length, len);
            length += len;
        }
    }

    @Override
    public void shrink(int len) {
        if (len > 0) {
            length = Math.max(0, length - len);
        }
    }
}

package io.beeperkeeper.media.h264;

import java.io.ByteArrayOutputStream;

/** Writes an H.264 RBSP bit by bit, with exp-Golomb codes; the inverse of {@link BitReader}. */
final class BitWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int current;
    private int bits;

    void u1(int bit) {
        current = (current << 1) | (bit & 1);
        if (++bits == 8) {
            out.write(current);
            current = 0;
            bits = 0;
        }
    }

    void flag(boolean b) {
        u1(b ? 1 : 0);
    }

    void u(int n, long value) {
        for (int i = n - 1; i >= 0; i--) {
            u1((int) (value >> i) & 1);
        }
    }

    void ue(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("ue(v) cannot code " + value);
        }
        long v = (long) value + 1;
        int len = 64 - Long.numberOfLeadingZeros(v);
        u(len - 1, 0);
        u(len, v);
    }

    void se(int value) {
        ue(value <= 0 ? -2 * value : 2 * value - 1);
    }

    /** Copies bits [from, to) of another RBSP verbatim. */
    void copy(byte[] src, int fromBit, int toBit) {
        for (int p = fromBit; p < toBit; p++) {
            u1((src[p >> 3] >> (7 - (p & 7))) & 1);
        }
    }

    /** rbsp_trailing_bits: a stop bit and zero bits to the byte boundary; returns the RBSP. */
    byte[] finishRbsp() {
        u1(1);
        while (bits != 0) {
            u1(0);
        }
        return out.toByteArray();
    }
}

package io.beeperkeeper.media.h264;

/** Reads an H.264 RBSP bit by bit, with exp-Golomb codes (ITU-T H.264 clause 9.1). */
final class BitReader {
    private final byte[] data;
    private int pos; // in bits

    BitReader(byte[] rbsp, int startByte) {
        this.data = rbsp;
        this.pos = startByte * 8;
    }

    int position() {
        return pos;
    }

    int u1() {
        if (pos >= data.length * 8) {
            throw new IllegalArgumentException("truncated: read past the end of the NAL unit");
        }
        int bit = (data[pos >> 3] >> (7 - (pos & 7))) & 1;
        pos++;
        return bit;
    }

    boolean flag() {
        return u1() == 1;
    }

    long u(int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 1) | u1();
        }
        return v;
    }

    int ue() {
        int zeros = 0;
        while (u1() == 0) {
            if (++zeros > 31) {
                throw new IllegalArgumentException("exp-Golomb code longer than 32 bits");
            }
        }
        return (int) ((1L << zeros) - 1 + u(zeros));
    }

    int se() {
        int k = ue();
        return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
    }
}

package io.beeperkeeper.media.h264;

import java.io.ByteArrayOutputStream;

/** NAL unit helpers: types and emulation prevention (H.264 clause 7.4.1). */
final class Nal {
    public static final int SLICE = 1;
    public static final int IDR = 5;
    public static final int SEI = 6;
    public static final int SPS = 7;
    public static final int PPS = 8;
    public static final int AUD = 9;

    private Nal() {
    }

    public static int type(byte[] nal) {
        return nal[0] & 0x1F;
    }

    public static boolean isVcl(int type) {
        return type >= 1 && type <= 5;
    }

    /** NAL payload (EBSP) to RBSP: drops each 0x03 that follows two zero bytes. */
    public static byte[] unescape(byte[] nal) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(nal.length);
        int zeros = 0;
        for (byte b : nal) {
            if (zeros >= 2 && b == 3) {
                zeros = 0;
                continue;
            }
            out.write(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return out.toByteArray();
    }

    /** RBSP to NAL payload: inserts 0x03 wherever two zero bytes precede a byte 0..3. */
    public static byte[] escape(byte[] rbsp) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(rbsp.length + 8);
        int zeros = 0;
        for (byte b : rbsp) {
            if (zeros >= 2 && (b & 0xFF) <= 3) {
                out.write(3);
                zeros = 0;
            }
            out.write(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return out.toByteArray();
    }
}

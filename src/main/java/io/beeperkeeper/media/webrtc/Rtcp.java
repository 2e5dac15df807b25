package io.beeperkeeper.media.webrtc;

import java.nio.charset.StandardCharsets;

/**
 * The RTCP the hub writes and reads (RFC 3550, RFC 4585, RFC 5104): sender reports with the CNAME,
 * and, from the browser, picture loss indications and full intra requests.
 */
public final class Rtcp {
    static final int SR = 200;
    static final int SDES = 202;
    static final int RTPFB = 205;
    static final int PSFB = 206;
    /** Seconds between 1900 (NTP epoch) and 1970. */
    private static final long NTP_OFFSET_S = 2_208_988_800L;

    private Rtcp() {
    }

    /** A compound SR + SDES(CNAME) for one sending SSRC. */
    public static byte[] senderReport(long ssrc, long wallClockMs, long rtpTimestamp, long packets, long octets, String cname) {
        byte[] name = cname.getBytes(StandardCharsets.UTF_8);
        int sdesChunk = 4 + 2 + name.length + 1; // ssrc, type+len, text, END
        int sdesLen = 4 + ((sdesChunk + 3) & ~3);
        byte[] p = new byte[28 + sdesLen];
        p[0] = (byte) 0x80;
        p[1] = (byte) SR;
        p[3] = 6; // length in 32-bit words minus one
        RtpPacketizer.writeInt(p, 4, ssrc);
        long seconds = wallClockMs / 1000 + NTP_OFFSET_S;
        long fraction = ((wallClockMs % 1000) << 32) / 1000;
        RtpPacketizer.writeInt(p, 8, seconds);
        RtpPacketizer.writeInt(p, 12, fraction);
        RtpPacketizer.writeInt(p, 16, rtpTimestamp);
        RtpPacketizer.writeInt(p, 20, packets);
        RtpPacketizer.writeInt(p, 24, octets);
        int s = 28;
        p[s] = (byte) 0x81; // one chunk
        p[s + 1] = (byte) SDES;
        p[s + 2] = (byte) ((sdesLen / 4 - 1) >> 8);
        p[s + 3] = (byte) (sdesLen / 4 - 1);
        RtpPacketizer.writeInt(p, s + 4, ssrc);
        p[s + 8] = 1; // CNAME
        p[s + 9] = (byte) name.length;
        System.arraycopy(name, 0, p, s + 10, name.length);
        return p; // remaining bytes are zero: END item and padding
    }

    /** The RTP sequence numbers a (decrypted, compound) RTCP packet reports lost (generic NACK, RFC 4585 6.2.1). */
    static java.util.List<Integer> nackedSequences(byte[] p) {
        java.util.List<Integer> out = new java.util.ArrayList<>();
        int at = 0;
        while (at + 4 <= p.length) {
            int pt = p[at + 1] & 0xFF;
            int fmt = p[at] & 0x1F;
            int len = (((p[at + 2] & 0xFF) << 8) | (p[at + 3] & 0xFF)) * 4 + 4;
            if ((p[at] & 0xC0) != 0x80 || at + len > p.length) {
                break;
            }
            if (pt == RTPFB && fmt == 1) {
                for (int f = at + 12; f + 4 <= at + len && out.size() < 256; f += 4) {
                    int pid = ((p[f] & 0xFF) << 8) | (p[f + 1] & 0xFF);
                    int blp = ((p[f + 2] & 0xFF) << 8) | (p[f + 3] & 0xFF);
                    out.add(pid);
                    for (int bit = 0; bit < 16; bit++) {
                        if ((blp & (1 << bit)) != 0) {
                            out.add((pid + bit + 1) & 0xFFFF);
                        }
                    }
                }
            }
            at += len;
        }
        return out;
    }

    /** Whether a (decrypted, compound) RTCP packet asks for a keyframe (PLI or FIR). */
    static boolean requestsKeyframe(byte[] p) {
        int at = 0;
        while (at + 4 <= p.length) {
            int pt = p[at + 1] & 0xFF;
            int fmt = p[at] & 0x1F;
            int len = (((p[at + 2] & 0xFF) << 8) | (p[at + 3] & 0xFF)) * 4 + 4;
            if ((p[at] & 0xC0) != 0x80 || len < 4 || at + len > p.length) {
                return false;
            }
            if (pt == PSFB && (fmt == 1 || fmt == 4)) {
                return true;
            }
            at += len;
        }
        return false;
    }
}

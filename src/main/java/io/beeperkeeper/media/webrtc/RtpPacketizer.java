package io.beeperkeeper.media.webrtc;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns H.264 access units (RFC 6184, packetization-mode 1) and Opus packets (RFC 7587) into RTP
 * packets for one SSRC. H.264: NAL units that fit go as single-NAL packets, larger ones as FU-A
 * fragments, and every keyframe is preceded by a STAP-A carrying SPS and PPS so a receiver that joins
 * or recovers there has them in-band. The marker bit ends each access unit. Not thread-safe: one per
 * stream per session. RTSP out ({@code media.rtsp}) sends the same packets over TCP and UDP.
 */
public final class RtpPacketizer {
    /** RTP payload budget: a 1200-byte packet (safe on every path incl. VPN) minus the 12-byte header. */
    public static final int DEFAULT_MAX_PAYLOAD = 1200 - 12;
    static final int STAP_A = 24;
    static final int FU_A = 28;

    private final int payloadType;
    private final long ssrc;
    private final int maxPayload;
    private final byte[] extension;
    private int sequence;
    private long packetsSent;
    private long octetsSent;

    public RtpPacketizer(int payloadType, long ssrc, int initialSequence, int maxPayload) {
        this(payloadType, ssrc, initialSequence, maxPayload, null);
    }

    /**
     * @param extension an RTP header extension block (RFC 8285, profile and length included) added to
     *                  every packet, or null; the payload budget shrinks by its size
     */
    public RtpPacketizer(int payloadType, long ssrc, int initialSequence, int maxPayload, byte[] extension) {
        this.extension = extension == null ? new byte[0] : extension.clone();
        maxPayload -= this.extension.length;
        if (maxPayload < 16) {
            throw new IllegalArgumentException("max payload too small: " + maxPayload);
        }
        this.payloadType = payloadType;
        this.ssrc = ssrc & 0xFFFFFFFFL;
        this.sequence = initialSequence & 0xFFFF;
        this.maxPayload = maxPayload;
    }

    /**
     * One H.264 access unit: its NAL units without start codes, in decoding order.
     *
     * @param sps, pps parameter sets to send (as a STAP-A) before a keyframe; ignored for other pictures
     */
    public List<byte[]> packetizeH264(List<byte[]> nals, boolean keyframe, byte[] sps, byte[] pps, long rtpTimestamp) {
        List<byte[]> out = new ArrayList<>();
        List<byte[]> units = new ArrayList<>(nals.size() + 2);
        for (byte[] n : nals) {
            int type = n.length > 0 ? n[0] & 0x1F : 0;
            if (n.length > 0 && type != 7 && type != 8 && type != 9) { // SPS/PPS come from the track, AUDs are noise
                units.add(n);
            }
        }
        if (units.isEmpty()) {
            return out;
        }
        if (keyframe && sps != null && pps != null) {
            int stapSize = 1 + 2 + sps.length + 2 + pps.length;
            if (stapSize <= maxPayload) {
                byte[] stap = new byte[stapSize];
                int nri = Math.max(sps[0] & 0x60, pps[0] & 0x60);
                stap[0] = (byte) (nri | STAP_A);
                int p = 1;
                for (byte[] ps : new byte[][]{sps, pps}) {
                    stap[p++] = (byte) (ps.length >> 8);
                    stap[p++] = (byte) ps.length;
                    System.arraycopy(ps, 0, stap, p, ps.length);
                    p += ps.length;
                }
                out.add(packet(false, rtpTimestamp, stap, 0, stap.length, null, 0));
            } else {
                out.add(packet(false, rtpTimestamp, sps, 0, sps.length, null, 0));
                out.add(packet(false, rtpTimestamp, pps, 0, pps.length, null, 0));
            }
        }
        for (int i = 0; i < units.size(); i++) {
            byte[] nal = units.get(i);
            boolean last = i == units.size() - 1;
            if (nal.length <= maxPayload) {
                out.add(packet(last, rtpTimestamp, nal, 0, nal.length, null, 0));
                continue;
            }
            byte indicator = (byte) ((nal[0] & 0xE0) | FU_A);
            int type = nal[0] & 0x1F;
            int chunk = maxPayload - 2;
            for (int off = 1; off < nal.length; off += chunk) {
                int len = Math.min(chunk, nal.length - off);
                boolean start = off == 1;
                boolean end = off + len == nal.length;
                byte header = (byte) ((start ? 0x80 : 0) | (end ? 0x40 : 0) | type);
                out.add(packet(last && end, rtpTimestamp, nal, off, len, new byte[]{indicator, header}, 2));
            }
        }
        return out;
    }

    /** One Opus packet (RFC 7587: the packet is the payload; 48 kHz clock). */
    public byte[] packetizeOpus(byte[] opus, long rtpTimestamp) {
        return packet(false, rtpTimestamp, opus, 0, opus.length, null, 0);
    }

    /**
     * One AAC access unit (RFC 3640 mpeg4-generic, AAC-hbr mode: one 16-bit AU-header of a 13-bit
     * size and a 3-bit index, marker set); the clock is the sample rate.
     */
    public byte[] packetizeAac(byte[] au, long rtpTimestamp) {
        byte[] header = {0, 16, (byte) (au.length >> 5), (byte) ((au.length & 0x1F) << 3)};
        return packet(true, rtpTimestamp, au, 0, au.length, header, header.length);
    }

    private byte[] packet(boolean marker, long ts, byte[] data, int off, int len, byte[] prefix, int prefixLen) {
        int h = 12 + extension.length;
        byte[] p = new byte[h + prefixLen + len];
        p[0] = (byte) (extension.length > 0 ? 0x90 : 0x80); // version 2, no padding, extension bit, no CSRC
        p[1] = (byte) ((marker ? 0x80 : 0) | payloadType);
        p[2] = (byte) (sequence >> 8);
        p[3] = (byte) sequence;
        writeInt(p, 4, ts);
        writeInt(p, 8, ssrc);
        System.arraycopy(extension, 0, p, 12, extension.length);
        if (prefixLen > 0) {
            System.arraycopy(prefix, 0, p, h, prefixLen);
        }
        System.arraycopy(data, off, p, h + prefixLen, len);
        sequence = (sequence + 1) & 0xFFFF;
        packetsSent++;
        octetsSent += prefixLen + len;
        return p;
    }

    /**
     * The playout-delay header extension with min = max = 0 (render each frame as soon as it is
     * decoded: this is a live camera, not a call), in the one-byte-header form of RFC 8285.
     */
    public static byte[] playoutDelayZero(int id) {
        return new byte[]{(byte) 0xBE, (byte) 0xDE, 0, 1, (byte) ((id << 4) | 2), 0, 0, 0};
    }

    public static void writeInt(byte[] b, int at, long v) {
        b[at] = (byte) (v >> 24);
        b[at + 1] = (byte) (v >> 16);
        b[at + 2] = (byte) (v >> 8);
        b[at + 3] = (byte) v;
    }

    /** The sequence number of the next packet. */
    public int nextSequence() {
        return sequence;
    }

    public long ssrc() {
        return ssrc;
    }

    /** For RTCP sender reports. */
    public long packetsSent() {
        return packetsSent;
    }

    /** Payload octets sent, for RTCP sender reports. */
    public long octetsSent() {
        return octetsSent;
    }
}

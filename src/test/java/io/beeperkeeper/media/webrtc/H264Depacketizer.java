package io.beeperkeeper.media.webrtc;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** A minimal RFC 6184 receiver for tests: single NAL, STAP-A and FU-A back to NAL units per access unit. */
final class H264Depacketizer {
    record AccessUnit(long timestamp, List<byte[]> nals) {
    }

    private final List<AccessUnit> done = new ArrayList<>();
    private List<byte[]> current = new ArrayList<>();
    private ByteArrayOutputStream fragment;
    private int lastSeq = -1;

    List<AccessUnit> accessUnits() {
        return done;
    }

    void accept(byte[] packet) {
        if ((packet[0] & 0xC0) != 0x80) {
            throw new IllegalStateException("not RTP v2");
        }
        int seq = ((packet[2] & 0xFF) << 8) | (packet[3] & 0xFF);
        if (lastSeq >= 0 && seq != ((lastSeq + 1) & 0xFFFF)) {
            throw new IllegalStateException("sequence gap " + lastSeq + " -> " + seq);
        }
        lastSeq = seq;
        boolean marker = (packet[1] & 0x80) != 0;
        long ts = ((packet[4] & 0xFFL) << 24) | ((packet[5] & 0xFF) << 16) | ((packet[6] & 0xFF) << 8) | (packet[7] & 0xFF);
        int h = 12;
        if ((packet[0] & 0x10) != 0) { // header extension: skip it
            h += 4 + 4 * (((packet[14] & 0xFF) << 8) | (packet[15] & 0xFF));
        }
        packet = java.util.Arrays.copyOfRange(packet, h - 12, packet.length); // payload now starts at 12
        int type = packet[12] & 0x1F;
        if (type == RtpPacketizer.STAP_A) {
            int p = 13;
            while (p < packet.length) {
                int size = ((packet[p] & 0xFF) << 8) | (packet[p + 1] & 0xFF);
                byte[] nal = new byte[size];
                System.arraycopy(packet, p + 2, nal, 0, size);
                current.add(nal);
                p += 2 + size;
            }
        } else if (type == RtpPacketizer.FU_A) {
            boolean start = (packet[13] & 0x80) != 0;
            boolean end = (packet[13] & 0x40) != 0;
            if (start) {
                fragment = new ByteArrayOutputStream();
                fragment.write((packet[12] & 0xE0) | (packet[13] & 0x1F));
            } else if (fragment == null) {
                throw new IllegalStateException("FU-A continuation without start");
            }
            fragment.write(packet, 14, packet.length - 14);
            if (end) {
                current.add(fragment.toByteArray());
                fragment = null;
            }
        } else {
            byte[] nal = new byte[packet.length - 12];
            System.arraycopy(packet, 12, nal, 0, nal.length);
            current.add(nal);
        }
        if (marker) {
            done.add(new AccessUnit(ts, current));
            current = new ArrayList<>();
        }
    }
}

package io.beeperkeeper.media.webrtc;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RtpPacketizerTest {
    private static final byte[] SPS = {0x67, 0x42, (byte) 0xC0, 0x1E, (byte) 0xDA, 0x02, (byte) 0x80, (byte) 0xBF};
    private static final byte[] PPS = {0x68, (byte) 0xCE, 0x38, (byte) 0x80};

    private static byte[] nal(int header, int size, long seed) {
        byte[] n = new byte[size];
        new Random(seed).nextBytes(n);
        n[0] = (byte) header;
        return n;
    }

    @Test
    void largeNalUnitsAreFragmentedAndReassembledExactly() {
        RtpPacketizer p = new RtpPacketizer(102, 0xCAFEBABEL, 65534, RtpPacketizer.DEFAULT_MAX_PAYLOAD);
        byte[] idr = nal(0x65, 50_000, 1);
        byte[] sei = nal(0x06, 40, 2);
        List<byte[]> packets = p.packetizeH264(List.of(sei, idr), true, SPS, PPS, 3000);

        assertThat(packets).allSatisfy(pkt -> assertThat(pkt.length).isLessThanOrEqualTo(1200));
        // STAP-A, single NAL (SEI), then ceil((50000-1)/1186) FU-A fragments; sequence wraps 65535 -> 0.
        assertThat(packets).hasSize(2 + (50_000 - 1 + 1185) / 1186);
        assertThat(packets.get(0)[12] & 0x1F).isEqualTo(24);
        assertThat(packets.get(2)[12] & 0x1F).isEqualTo(28);
        assertThat(packets.get(2)[12] & 0x60).isEqualTo(0x60); // NRI of the IDR carried in the FU indicator
        assertThat(packets.get(2)[13] & 0xC0).isEqualTo(0x80); // start
        assertThat(packets.get(packets.size() - 1)[13] & 0xC0).isEqualTo(0x40); // end
        for (int i = 0; i < packets.size(); i++) {
            assertThat((packets.get(i)[1] & 0x80) != 0).as("marker only on the last packet").isEqualTo(i == packets.size() - 1);
            assertThat(packets.get(i)[1] & 0x7F).isEqualTo(102);
        }

        H264Depacketizer d = new H264Depacketizer();
        packets.forEach(d::accept);
        assertThat(d.accessUnits()).hasSize(1);
        H264Depacketizer.AccessUnit au = d.accessUnits().get(0);
        assertThat(au.timestamp()).isEqualTo(3000);
        assertThat(au.nals()).containsExactly(SPS, PPS, sei, idr);
    }

    @Test
    void stapACarriesSpsAndPpsBeforeEachKeyframeOnly() {
        RtpPacketizer p = new RtpPacketizer(96, 1, 0, RtpPacketizer.DEFAULT_MAX_PAYLOAD);
        List<byte[]> key = p.packetizeH264(List.of(nal(0x65, 500, 3)), true, SPS, PPS, 0);
        List<byte[]> delta = p.packetizeH264(List.of(nal(0x41, 500, 4)), false, SPS, PPS, 6000);
        assertThat(key).hasSize(2);
        byte[] stap = key.get(0);
        assertThat(stap[12]).isEqualTo((byte) (0x60 | 24)); // NRI = max of SPS/PPS NRI
        assertThat(((stap[13] & 0xFF) << 8) | (stap[14] & 0xFF)).isEqualTo(SPS.length);
        assertThat(stap.length).isEqualTo(12 + 1 + 2 + SPS.length + 2 + PPS.length);
        assertThat(delta).hasSize(1);
        assertThat(delta.get(0)[12]).isEqualTo((byte) 0x41);

        H264Depacketizer d = new H264Depacketizer();
        key.forEach(d::accept);
        delta.forEach(d::accept);
        assertThat(d.accessUnits()).hasSize(2);
        assertThat(d.accessUnits().get(0).nals()).hasSize(3);
        assertThat(d.accessUnits().get(1).nals()).hasSize(1);
        assertThat(d.accessUnits().get(1).timestamp()).isEqualTo(6000);
    }

    @Test
    void parameterSetsAndDelimitersInTheAccessUnitAreNotSentTwice() {
        RtpPacketizer p = new RtpPacketizer(96, 1, 0, RtpPacketizer.DEFAULT_MAX_PAYLOAD);
        List<byte[]> out = p.packetizeH264(List.of(new byte[]{0x09, (byte) 0xF0}, SPS, PPS, nal(0x65, 100, 5)), true, SPS, PPS, 0);
        assertThat(out).hasSize(2); // STAP-A + IDR
    }

    @Test
    void nalUnitExactlyAtTheBudgetIsNotFragmented() {
        RtpPacketizer p = new RtpPacketizer(96, 1, 0, 100);
        assertThat(p.packetizeH264(List.of(nal(0x41, 100, 6)), false, null, null, 0)).hasSize(1);
        List<byte[]> frag = p.packetizeH264(List.of(nal(0x41, 101, 7)), false, null, null, 0);
        assertThat(frag).hasSize(2);
        H264Depacketizer d = new H264Depacketizer();
        frag.forEach(d::accept);
        assertThat(d.accessUnits().get(0).nals().get(0)).isEqualTo(nal(0x41, 101, 7));
    }

    @Test
    void headerExtensionIsAddedAndCountedInTheBudget() {
        RtpPacketizer p = new RtpPacketizer(96, 1, 0, RtpPacketizer.DEFAULT_MAX_PAYLOAD, RtpPacketizer.playoutDelayZero(5));
        byte[] idr = nal(0x65, 5000, 8);
        List<byte[]> packets = p.packetizeH264(List.of(idr), false, null, null, 0);
        assertThat(packets).allSatisfy(pkt -> {
            assertThat(pkt.length).isLessThanOrEqualTo(1200);
            assertThat(pkt[0]).isEqualTo((byte) 0x90);
            assertThat(pkt[12]).isEqualTo((byte) 0xBE);
            assertThat(pkt[16]).isEqualTo((byte) 0x52); // id 5, 3 bytes
        });
        H264Depacketizer d = new H264Depacketizer();
        packets.forEach(d::accept);
        assertThat(d.accessUnits().get(0).nals()).containsExactly(idr);
    }

    @Test
    void opusPacketIsThePayload() {
        RtpPacketizer p = new RtpPacketizer(111, 0x01020304L, 7, RtpPacketizer.DEFAULT_MAX_PAYLOAD);
        byte[] opus = {(byte) 0xFC, 1, 2, 3};
        byte[] pkt = p.packetizeOpus(opus, 960);
        assertThat(pkt).hasSize(16);
        assertThat(pkt[1]).isEqualTo((byte) 111);
        assertThat(((pkt[2] & 0xFF) << 8) | (pkt[3] & 0xFF)).isEqualTo(7);
        assertThat(pkt[7] & 0xFF).isEqualTo(960 & 0xFF);
        assertThat(pkt[8]).isEqualTo((byte) 1);
        assertThat(pkt[12]).isEqualTo((byte) 0xFC);
        assertThat(p.packetsSent()).isEqualTo(1);
        assertThat(p.octetsSent()).isEqualTo(4);
    }
}

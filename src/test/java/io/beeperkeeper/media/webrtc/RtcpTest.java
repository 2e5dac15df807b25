package io.beeperkeeper.media.webrtc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RtcpTest {
    @Test
    void senderReportCarriesNtpTimeRtpTimeCountsAndCname() {
        byte[] p = Rtcp.senderReport(0xDEADBEEFL, 1_700_000_000_500L, 123_456, 42, 50_000, "beeper-x");
        assertThat(p.length % 4).isZero();
        assertThat(p[1] & 0xFF).isEqualTo(200);
        assertThat(Stun.readInt(p, 4)).isEqualTo(0xDEADBEEF);
        assertThat(Integer.toUnsignedLong(Stun.readInt(p, 8))).isEqualTo(1_700_000_000L + 2_208_988_800L);
        assertThat(Integer.toUnsignedLong(Stun.readInt(p, 12))).isEqualTo(1L << 31); // .5 s
        assertThat(Stun.readInt(p, 16)).isEqualTo(123_456);
        assertThat(Stun.readInt(p, 20)).isEqualTo(42);
        assertThat(Stun.readInt(p, 24)).isEqualTo(50_000);
        assertThat(p[29] & 0xFF).isEqualTo(202); // SDES follows in the same compound packet
        int sdesWords = Stun.readShort(p, 30) + 1;
        assertThat(28 + sdesWords * 4).isEqualTo(p.length);
        assertThat(new String(p, 38, p[37])).isEqualTo("beeper-x");
        assertThat(Rtcp.requestsKeyframe(p)).isFalse();
        assertThat(Rtcp.nackedSequences(p)).isEmpty();
    }

    @Test
    void readsPliFirAndNackInACompoundPacket() {
        byte[] rr = {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 1};
        byte[] nack = {(byte) 0x81, (byte) 205, 0, 3, 0, 0, 0, 1, 0, 0, 0, 2, (byte) 0xFF, (byte) 0xFE, 0, 0b101};
        byte[] pli = {(byte) 0x81, (byte) 206, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2};
        byte[] fir = {(byte) 0x84, (byte) 206, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 1, 0, 0, 0};
        assertThat(Rtcp.nackedSequences(concat(rr, nack))).containsExactly(0xFFFE, 0xFFFF, 1);
        assertThat(Rtcp.requestsKeyframe(concat(rr, nack))).isFalse();
        assertThat(Rtcp.requestsKeyframe(concat(rr, pli))).isTrue();
        assertThat(Rtcp.requestsKeyframe(concat(rr, fir))).isTrue();
        assertThat(Rtcp.requestsKeyframe(new byte[]{(byte) 0x81, (byte) 206, 0, 9})).isFalse(); // truncated
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

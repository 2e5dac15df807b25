package io.beeperkeeper.media.webrtc;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

class StunTest {
    private static final byte[] TID = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

    @Test
    void readsABrowsersBindingRequestAndChecksItsIntegrity() throws Exception {
        byte[] req = StunClient.bindingRequest(TID, "hubU:browserU", "hubPassword", true);
        assertThat(Stun.looksLikeStun(req, req.length)).isTrue();
        Stun.BindingRequest r = Stun.parseBindingRequest(req, req.length);
        assertThat(r).isNotNull();
        assertThat(r.localUfrag()).isEqualTo("hubU");
        assertThat(r.useCandidate()).isTrue();
        assertThat(r.transactionId()).isEqualTo(TID);
        assertThat(Stun.integrityOk(r, "hubPassword")).isTrue();
        assertThat(Stun.integrityOk(r, "otherPassword")).isFalse();

        byte[] tampered = req.clone();
        tampered[25] ^= 1; // inside USERNAME
        assertThat(Stun.integrityOk(Stun.parseBindingRequest(tampered, tampered.length), "hubPassword")).isFalse();
        assertThat(Stun.parseBindingRequest(req, req.length - 4)).isNull(); // length mismatch
        assertThat(Stun.parseBindingRequest(new byte[]{0x16, (byte) 0xFE, (byte) 0xFD}, 3)).isNull(); // DTLS
    }

    @Test
    void responseCarriesTheMappedAddressWithIntegrityAndFingerprint() throws Exception {
        InetSocketAddress mapped = new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 50123);
        byte[] m = Stun.bindingSuccess(TID, mapped, "hubPassword");
        assertThat(Stun.readShort(m, 0)).isEqualTo(0x0101);
        assertThat(Stun.readShort(m, 2)).isEqualTo(m.length - 20);
        assertThat(Arrays.copyOfRange(m, 8, 20)).isEqualTo(TID);
        // XOR-MAPPED-ADDRESS
        assertThat(Stun.readShort(m, 20)).isEqualTo(0x0020);
        assertThat(Stun.readShort(m, 26) ^ 0x2112).isEqualTo(50123);
        byte[] ip = new byte[4];
        for (int i = 0; i < 4; i++) {
            ip[i] = (byte) (m[28 + i] ^ m[4 + i]);
        }
        assertThat(InetAddress.getByAddress(ip).getHostAddress()).isEqualTo("192.0.2.7");
        // MESSAGE-INTEGRITY over the header (length up to MI) and XOR-MAPPED-ADDRESS
        int mi = 32;
        assertThat(Stun.readShort(m, mi)).isEqualTo(0x0008);
        byte[] covered = Arrays.copyOf(m, mi);
        covered[3] = (byte) (mi + 24 - 20);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec("hubPassword".getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        assertThat(Arrays.copyOfRange(m, mi + 4, mi + 24)).isEqualTo(mac.doFinal(covered));
        // FINGERPRINT: CRC-32 of everything before it, XOR 0x5354554E
        int fp = mi + 24;
        assertThat(Stun.readShort(m, fp)).isEqualTo(0x8028);
        CRC32 crc = new CRC32();
        crc.update(m, 0, fp);
        assertThat(Stun.readInt(m, fp + 4)).isEqualTo((int) crc.getValue() ^ 0x5354554E);
    }

    @Test
    void ipv6MappedAddressIsXoredWithCookieAndTransactionId() throws Exception {
        InetSocketAddress mapped = new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 4000);
        byte[] m = Stun.bindingSuccess(TID, mapped, "pw");
        assertThat(m[25]).isEqualTo((byte) 0x02);
        byte[] ip = new byte[16];
        for (int i = 0; i < 16; i++) {
            ip[i] = (byte) (m[28 + i] ^ m[4 + i]);
        }
        assertThat(InetAddress.getByAddress(ip)).isEqualTo(InetAddress.getByName("2001:db8::1"));
    }
}

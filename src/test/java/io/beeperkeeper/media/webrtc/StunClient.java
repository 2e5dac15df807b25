package io.beeperkeeper.media.webrtc;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/** Writes Binding requests the way a browser's ICE agent does, for tests (independent of {@link Stun}'s encoder). */
final class StunClient {
    private StunClient() {
    }

    static byte[] bindingRequest(byte[] tid, String username, String password, boolean useCandidate) throws Exception {
        ByteArrayOutputStream attrs = new ByteArrayOutputStream();
        attr(attrs, 0x0006, username.getBytes(StandardCharsets.UTF_8));
        attr(attrs, 0x0024, new byte[]{0x6E, 0x7F, 0x1E, (byte) 0xFF}); // PRIORITY
        attr(attrs, 0x802A, new byte[8]); // ICE-CONTROLLING tie-breaker
        if (useCandidate) {
            attr(attrs, 0x0025, new byte[0]);
        }
        byte[] body = attrs.toByteArray();
        byte[] head = header(tid, body.length + 24);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        mac.update(head);
        mac.update(body);
        attr(attrs, 0x0008, mac.doFinal());
        body = attrs.toByteArray();
        head = header(tid, body.length + 8);
        CRC32 crc = new CRC32();
        crc.update(head);
        crc.update(body);
        int fp = (int) crc.getValue() ^ 0x5354554E;
        attr(attrs, 0x8028, new byte[]{(byte) (fp >> 24), (byte) (fp >> 16), (byte) (fp >> 8), (byte) fp});
        body = attrs.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header(tid, body.length));
        out.write(body);
        return out.toByteArray();
    }

    private static byte[] header(byte[] tid, int length) {
        byte[] h = new byte[20];
        h[1] = 0x01;
        h[2] = (byte) (length >> 8);
        h[3] = (byte) length;
        h[4] = 0x21;
        h[5] = 0x12;
        h[6] = (byte) 0xA4;
        h[7] = 0x42;
        System.arraycopy(tid, 0, h, 8, 12);
        return h;
    }

    private static void attr(ByteArrayOutputStream out, int type, byte[] value) {
        out.write(type >> 8);
        out.write(type);
        out.write(value.length >> 8);
        out.write(value.length);
        out.writeBytes(value);
        for (int i = value.length; i % 4 != 0; i++) {
            out.write(0);
        }
    }
}

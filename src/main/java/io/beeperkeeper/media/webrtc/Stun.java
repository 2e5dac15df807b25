package io.beeperkeeper.media.webrtc;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.zip.CRC32;

/**
 * The part of STUN (RFC 8489) an ICE-lite agent needs (RFC 8445 section 2.5): read a Binding request
 * (USERNAME, MESSAGE-INTEGRITY, USE-CANDIDATE), check its short-term credential, and write the
 * Binding success response with XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY and FINGERPRINT. Written here
 * because it is message formatting; the HMAC-SHA1 and CRC-32 come from the JDK.
 */
final class Stun {
    static final int MAGIC_COOKIE = 0x2112A442;
    static final int BINDING_REQUEST = 0x0001;
    static final int BINDING_SUCCESS = 0x0101;
    static final int ATTR_USERNAME = 0x0006;
    static final int ATTR_MESSAGE_INTEGRITY = 0x0008;
    static final int ATTR_XOR_MAPPED_ADDRESS = 0x0020;
    static final int ATTR_USE_CANDIDATE = 0x0025;
    static final int ATTR_FINGERPRINT = 0x8028;
    private static final int FINGERPRINT_XOR = 0x5354554E;

    private Stun() {
    }

    /** A parsed Binding request; {@code integrityAt} is where its MESSAGE-INTEGRITY attribute starts (-1: none). */
    record BindingRequest(byte[] transactionId, String username, boolean useCandidate, byte[] message, int integrityAt) {
        /** The local ufrag: USERNAME is "local:remote" as seen by us (RFC 8445 section 7.2.2). */
        String localUfrag() {
            int colon = username == null ? -1 : username.indexOf(':');
            return colon < 0 ? null : username.substring(0, colon);
        }
    }

    /** RFC 7983: the first byte 0-3 and the magic cookie identify STUN. */
    static boolean looksLikeStun(byte[] b, int len) {
        return len >= 20 && (b[0] & 0xC0) == 0 && readInt(b, 4) == MAGIC_COOKIE;
    }

    /** The request, or null if this is not a well-formed Binding request. */
    static BindingRequest parseBindingRequest(byte[] data, int len) {
        if (!looksLikeStun(data, len) || readShort(data, 0) != BINDING_REQUEST) {
            return null;
        }
        int bodyLen = readShort(data, 2);
        if (20 + bodyLen != len || (bodyLen & 3) != 0) {
            return null;
        }
        byte[] msg = java.util.Arrays.copyOf(data, len);
        byte[] tid = java.util.Arrays.copyOfRange(msg, 8, 20);
        String username = null;
        boolean useCandidate = false;
        int integrityAt = -1;
        int p = 20;
        while (p + 4 <= len) {
            int type = readShort(msg, p);
            int alen = readShort(msg, p + 2);
            if (p + 4 + alen > len) {
                return null;
            }
            if (integrityAt < 0) { // attributes after MESSAGE-INTEGRITY (only FINGERPRINT) are not covered by it
                switch (type) {
                    case ATTR_USERNAME -> username = new String(msg, p + 4, alen, StandardCharsets.UTF_8);
                    case ATTR_USE_CANDIDATE -> useCandidate = true;
                    case ATTR_MESSAGE_INTEGRITY -> integrityAt = alen == 20 ? p : -2;
                    default -> { }
                }
                if (integrityAt == -2) {
                    return null;
                }
            }
            p += 4 + ((alen + 3) & ~3);
        }
        return new BindingRequest(tid, username, useCandidate, msg, integrityAt);
    }

    /** Checks MESSAGE-INTEGRITY with the short-term key (our ice-pwd). */
    static boolean integrityOk(BindingRequest r, String icePwd) {
        if (r.integrityAt() < 0) {
            return false;
        }
        byte[] covered = java.util.Arrays.copyOf(r.message(), r.integrityAt());
        writeShort(covered, 2, r.integrityAt() + 24 - 20); // length as if MESSAGE-INTEGRITY were the last attribute
        byte[] expected = hmac(icePwd, covered, covered.length);
        byte[] actual = java.util.Arrays.copyOfRange(r.message(), r.integrityAt() + 4, r.integrityAt() + 24);
        return MessageDigest.isEqual(expected, actual);
    }

    /** The Binding success response telling the browser its address as we saw it. */
    static byte[] bindingSuccess(byte[] transactionId, InetSocketAddress mapped, String icePwd) {
        InetAddress addr = mapped.getAddress();
        byte[] ip = addr.getAddress();
        int xmaLen = 4 + ip.length;
        int len = 20 + (4 + xmaLen) + 24 + 8;
        byte[] m = new byte[len];
        writeShort(m, 0, BINDING_SUCCESS);
        writeInt(m, 4, MAGIC_COOKIE);
        System.arraycopy(transactionId, 0, m, 8, 12);
        int p = 20;
        writeShort(m, p, ATTR_XOR_MAPPED_ADDRESS);
        writeShort(m, p + 2, xmaLen);
        m[p + 5] = (byte) (addr instanceof Inet4Address ? 0x01 : 0x02);
        writeShort(m, p + 6, mapped.getPort() ^ (MAGIC_COOKIE >>> 16));
        for (int i = 0; i < ip.length; i++) {
            // XOR with the cookie, then (IPv6) the transaction id: bytes 4..19 of the header.
            m[p + 8 + i] = (byte) (ip[i] ^ m[4 + i]);
        }
        p += 4 + xmaLen;
        writeShort(m, 2, p + 24 - 20);
        byte[] mac = hmac(icePwd, m, p);
        writeShort(m, p, ATTR_MESSAGE_INTEGRITY);
        writeShort(m, p + 2, 20);
        System.arraycopy(mac, 0, m, p + 4, 20);
        p += 24;
        writeShort(m, 2, p + 8 - 20);
        CRC32 crc = new CRC32();
        crc.update(m, 0, p);
        writeShort(m, p, ATTR_FINGERPRINT);
        writeShort(m, p + 2, 4);
        writeInt(m, p + 4, (int) crc.getValue() ^ FINGERPRINT_XOR);
        return m;
    }

    private static byte[] hmac(String key, byte[] data, int len) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            mac.update(data, 0, len);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 missing from the JDK", e);
        }
    }

    static int readShort(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    static int readInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    static void writeShort(byte[] b, int at, int v) {
        b[at] = (byte) (v >> 8);
        b[at + 1] = (byte) v;
    }

    static void writeInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >> 24);
        b[at + 1] = (byte) (v >> 16);
        b[at + 2] = (byte) (v >> 8);
        b[at + 3] = (byte) v;
    }
}

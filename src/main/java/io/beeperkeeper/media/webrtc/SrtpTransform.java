package io.beeperkeeper.media.webrtc;

import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.utils.ByteArrayBuffer;
import org.jitsi.utils.logging2.LoggerImpl;

import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;

/**
 * SRTP/SRTCP (RFC 3711, AES_CM_128_HMAC_SHA1_80) for one session through Jitsi's {@code jitsi-srtp}:
 * protects what the hub sends with the server's keys and checks what the browser sends (RTCP) with
 * the client's. One crypto context per SSRC, as SRTP's replay and rollover state is per SSRC.
 */
final class SrtpTransform {
    private static final int MAX_REMOTE_SSRCS = 16;
    private final SrtpContextFactory sender;
    private final SrtpContextFactory receiver;
    private final Map<Long, SrtpCryptoContext> rtpOut = new HashMap<>();
    private final Map<Long, SrtcpCryptoContext> rtcpOut = new HashMap<>();
    private final Map<Long, SrtcpCryptoContext> rtcpIn = new HashMap<>();

    SrtpTransform(DtlsSrtpServer.SrtpKeys keys) {
        LoggerImpl logger = new LoggerImpl(SrtpTransform.class.getName(), Level.WARNING);
        sender = new SrtpContextFactory(true, keys.serverKey(), keys.serverSalt(), policy(), policy(), logger);
        receiver = new SrtpContextFactory(false, keys.clientKey(), keys.clientSalt(), policy(), policy(), logger);
    }

    private static SrtpPolicy policy() {
        // AES-CM 128-bit key, HMAC-SHA1 160-bit key with an 80-bit tag, 112-bit salt.
        return new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10, 14);
    }

    /** Encrypts and authenticates one RTP packet; returns the SRTP packet. */
    synchronized byte[] protectRtp(byte[] rtp) throws GeneralSecurityException {
        long ssrc = ssrcOf(rtp, 8);
        SrtpCryptoContext c = rtpOut.get(ssrc);
        if (c == null) {
            c = sender.deriveContext((int) ssrc, 0);
            rtpOut.put(ssrc, c);
        }
        SrtpBuffer b = new SrtpBuffer(rtp, rtp.length + 16);
        check(c.transformPacket(b));
        return b.bytes();
    }

    /** Protects one (compound) RTCP packet sent by {@code ssrc}. */
    synchronized byte[] protectRtcp(byte[] rtcp) throws GeneralSecurityException {
        long ssrc = ssrcOf(rtcp, 4);
        SrtcpCryptoContext c = rtcpOut.get(ssrc);
        if (c == null) {
            c = sender.deriveControlContext((int) ssrc);
            rtcpOut.put(ssrc, c);
        }
        SrtpBuffer b = new SrtpBuffer(rtcp, rtcp.length + 16);
        check(c.transformPacket(b));
        return b.bytes();
    }

    /** Checks and decrypts an SRTCP packet from the browser; null if it does not authenticate. */
    synchronized byte[] unprotectRtcp(byte[] data, int len) throws GeneralSecurityException {
        if (len < 8 + 4 + 10) {
            return null;
        }
        long ssrc = ssrcOf(data, 4);
        SrtcpCryptoContext c = rtcpIn.get(ssrc);
        if (c == null) {
            if (rtcpIn.size() >= MAX_REMOTE_SSRCS) {
                return null;
            }
            c = receiver.deriveControlContext((int) ssrc);
            rtcpIn.put(ssrc, c);
        }
        byte[] copy = java.util.Arrays.copyOf(data, len);
        SrtpBuffer b = new SrtpBuffer(copy, len);
        return c.reverseTransformPacket(b) == SrtpErrorStatus.OK ? b.bytes() : null;
    }

    synchronized void close() {
        sender.close();
        receiver.close();
    }

    private static void check(SrtpErrorStatus s) throws GeneralSecurityException {
        if (s != SrtpErrorStatus.OK) {
            throw new GeneralSecurityException("SRTP: " + s.desc);
        }
    }

    private static long ssrcOf(byte[] p, int at) {
        return ((p[at] & 0xFFL) << 24) | ((p[at + 1] & 0xFF) << 16) | ((p[at + 2] & 0xFF) << 8) | (p[at + 3] & 0xFF);
    }
}

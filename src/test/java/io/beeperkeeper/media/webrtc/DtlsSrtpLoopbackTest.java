package io.beeperkeeper.media.webrtc;

import io.beeperkeeper.config.WebRtcConfig;
import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.MediaKind;
import io.beeperkeeper.media.Stream;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UDPTransport;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.utils.logging2.LoggerImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A WebRTC receiver written with the same libraries on the other side (BouncyCastle DTLS client,
 * jitsi-srtp decryption, our test depacketizer): checks ICE-lite, the DTLS-SRTP key agreement, that
 * the stream starts at a keyframe with SPS/PPS, that a PLI brings a keyframe long before the next
 * GOP, and that sender reports arrive.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DtlsSrtpLoopbackTest {
    /** How long the test waits for the hub to answer or send: generous, for a loaded machine. */
    private static final Duration SERVER = Duration.ofSeconds(30);
    /** How long it waits for video, which the feeder thread paces like a camera. */
    private static final Duration VIDEO = Duration.ofSeconds(60);
    private static final byte[] SPS = ChromeOffers.videoOnly().video().sps();

    @Test
    void receiverGetsDecryptableH264StartingAtAKeyframeAndAKeyframeAfterPli() throws Exception {
        Stream stream = new Stream("cam");
        stream.publishTracks(ChromeOffers.videoOnly());
        Thread feeder = new Thread(() -> feed(stream), "feeder");
        feeder.setDaemon(true);
        feeder.start();
        DtlsIdentity client = DtlsIdentity.generate();
        try (WebRtcServer server = new WebRtcServer(new WebRtcConfig(true, "127.0.0.1", 0, "", 2, 30), n -> Optional.of(stream));
             DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            String offer = ChromeOffers.videoAudio().replaceAll("a=fingerprint:sha-256 [0-9A-F:]+", "a=fingerprint:sha-256 " + client.fingerprint());
            WebRtcServer.Created created = (WebRtcServer.Created) server.createSession("cam", offer, InetAddress.getLoopbackAddress());
            String answer = created.answer();
            String ufrag = attr(answer, "ice-ufrag");
            String pwd = attr(answer, "ice-pwd");
            String serverFingerprint = attr(answer, "fingerprint");
            long videoSsrc = Long.parseLong(answer.lines().filter(l -> l.startsWith("a=ssrc:")).findFirst().orElseThrow().split("[: ]")[1]);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
            socket.setSoTimeout((int) SERVER.toMillis());

            byte[] check = StunClient.bindingRequest(new byte[]{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, ufrag + ":Zx9q", pwd, true);
            socket.send(new DatagramPacket(check, check.length));
            DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
            socket.receive(in);
            assertThat(Stun.readShort(in.getData(), 0)).isEqualTo(0x0101);

            Client tls = new Client(client, serverFingerprint);
            new DTLSClientProtocol().connect(tls, new UDPTransport(socket, 1500));
            byte[] km = tls.keyingMaterial;
            byte[] clientKey = java.util.Arrays.copyOfRange(km, 0, 16);
            byte[] serverKey = java.util.Arrays.copyOfRange(km, 16, 32);
            byte[] clientSalt = java.util.Arrays.copyOfRange(km, 32, 46);
            byte[] serverSalt = java.util.Arrays.copyOfRange(km, 46, 60);
            SrtpPolicy policy = new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10, 14);
            LoggerImpl log = new LoggerImpl("test", Level.WARNING);
            SrtpCryptoContext rtpIn = new SrtpContextFactory(false, serverKey, serverSalt, policy, policy, log).deriveContext((int) videoSsrc, 0);
            SrtcpCryptoContext rtcpOut = new SrtpContextFactory(true, clientKey, clientSalt, policy, policy, log).deriveControlContext(0x1234);

            H264Depacketizer depack = new H264Depacketizer();
            int[] senderReports = {0};
            receiveUntil(socket, rtpIn, depack, senderReports, () -> depack.accessUnits().size() > 20);
            List<H264Depacketizer.AccessUnit> first = new ArrayList<>(depack.accessUnits());
            assertThat(first).isNotEmpty();
            assertThat(first.get(0).nals().get(0)).isEqualTo(SPS);
            assertThat(first.get(0).nals().get(2)[0] & 0x1F).isEqualTo(5); // IDR after SPS, PPS
            assertThat(first.size()).isGreaterThan(20);
            long keyframesBefore = first.stream().filter(DtlsSrtpLoopbackTest::isKeyframe).count();

            // PLI (RFC 4585 6.3.1) for our video SSRC; the GOP is 10 s long, so only the PLI can bring a keyframe now.
            byte[] pli = new byte[12];
            pli[0] = (byte) 0x81;
            pli[1] = (byte) 206;
            pli[3] = 2;
            RtpPacketizer.writeInt(pli, 4, 0x1234);
            RtpPacketizer.writeInt(pli, 8, videoSsrc);
            SrtpBuffer b = new SrtpBuffer(pli, 64);
            assertThat(rtcpOut.transformPacket(b)).isEqualTo(SrtpErrorStatus.OK);
            byte[] protectedPli = b.bytes();
            socket.send(new DatagramPacket(protectedPli, protectedPli.length));
            receiveUntil(socket, rtpIn, depack, senderReports, () -> senderReports[0] >= 1
                    && server.session(created.sessionId()).orElseThrow().keyframeRestarts() >= 1
                    && depack.accessUnits().stream().filter(DtlsSrtpLoopbackTest::isKeyframe).count() > keyframesBefore);
            long keyframesAfter = depack.accessUnits().stream().filter(DtlsSrtpLoopbackTest::isKeyframe).count();
            assertThat(keyframesAfter).isGreaterThan(keyframesBefore);
            assertThat(senderReports[0]).isGreaterThanOrEqualTo(1);
            // RTP time never goes backwards across the restart.
            List<H264Depacketizer.AccessUnit> all = depack.accessUnits();
            for (int i = 1; i < all.size(); i++) {
                assertThat(all.get(i).timestamp() - all.get(i - 1).timestamp()).isBetween(1L, 90_000L);
            }
            assertThat(server.session(created.sessionId()).orElseThrow().keyframeRestarts()).isEqualTo(1);

            // Generic NACK (RFC 4585 6.2.1) for a packet sent a moment ago: the very same SRTP packet comes again.
            DatagramPacket in2 = new DatagramPacket(new byte[2048], 2048);
            socket.receive(in2);
            while ((in2.getData()[1] & 0xFF) >= 192 && (in2.getData()[1] & 0xFF) <= 223 || (in2.getData()[0] & 0xC0) != 0x80) {
                socket.receive(in2);
            }
            byte[] original = java.util.Arrays.copyOf(in2.getData(), in2.getLength());
            int seq = ((original[2] & 0xFF) << 8) | (original[3] & 0xFF);
            byte[] nack = new byte[16];
            nack[0] = (byte) 0x81;
            nack[1] = (byte) 205;
            nack[3] = 3;
            RtpPacketizer.writeInt(nack, 4, 0x1234);
            RtpPacketizer.writeInt(nack, 8, videoSsrc);
            nack[12] = (byte) (seq >> 8);
            nack[13] = (byte) seq;
            SrtpBuffer nb = new SrtpBuffer(nack, 64);
            assertThat(rtcpOut.transformPacket(nb)).isEqualTo(SrtpErrorStatus.OK);
            socket.send(new DatagramPacket(nb.bytes(), nb.bytes().length));
            socket.setSoTimeout(200);
            await("packet " + seq + " retransmitted").atMost(SERVER).pollInterval(Duration.ofMillis(1)).until(() -> {
                try {
                    socket.receive(in2);
                } catch (SocketTimeoutException e) {
                    return false;
                }
                return java.util.Arrays.equals(original, java.util.Arrays.copyOf(in2.getData(), in2.getLength()));
            });
            assertThat(server.session(created.sessionId()).orElseThrow().retransmissions()).isEqualTo(1);
        } finally {
            feeder.interrupt();
        }
    }

    private static boolean isKeyframe(H264Depacketizer.AccessUnit au) {
        return au.nals().stream().anyMatch(n -> (n[0] & 0x1F) == 5);
    }

    /** Reads and decrypts the hub's packets until {@code done} holds (checked after each packet). */
    private static void receiveUntil(DatagramSocket socket, SrtpCryptoContext rtpIn, H264Depacketizer depack, int[] srs,
                                     BooleanSupplier done) throws Exception {
        DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
        socket.setSoTimeout(200);
        await().atMost(VIDEO).pollInterval(Duration.ofMillis(1)).until(() -> {
            try {
                socket.receive(in);
            } catch (SocketTimeoutException e) {
                return done.getAsBoolean();
            }
            int first = in.getData()[0] & 0xFF;
            if (first < 128 || first > 191) {
                return done.getAsBoolean(); // DTLS retransmissions and the like
            }
            int pt = in.getData()[1] & 0xFF;
            if (pt >= 192 && pt <= 223) {
                if (pt == 200) {
                    srs[0]++;
                }
                return done.getAsBoolean();
            }
            SrtpBuffer b = new SrtpBuffer(java.util.Arrays.copyOf(in.getData(), in.getLength()), in.getLength());
            assertThat(rtpIn.reverseTransformPacket(b, false)).isEqualTo(SrtpErrorStatus.OK);
            depack.accept(b.bytes());
            return done.getAsBoolean();
        });
    }

    private static void feed(Stream stream) {
        Random r = new Random(1);
        long t = 0;
        try {
            for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
                boolean key = i % 300 == 0;
                byte[] nal = new byte[key ? 4000 : 700];
                r.nextBytes(nal);
                nal[0] = (byte) (key ? 0x65 : 0x41);
                stream.publish(new Frame(MediaKind.VIDEO, t, 33_333, key, List.of(nal), System.currentTimeMillis()));
                t += 33_333;
                Thread.sleep(33); // paces the frames like a 30 fps camera: part of the scenario, not a wait

            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String attr(String sdp, String name) {
        return sdp.lines().filter(l -> l.startsWith("a=" + name + ":")).findFirst().orElseThrow().substring(name.length() + 3);
    }

    /** A DTLS-SRTP client as a browser is: certificate by fingerprint, use_srtp, keys exported after the handshake. */
    private static final class Client extends DefaultTlsClient {
        private final DtlsIdentity identity;
        private final String serverFingerprint;
        volatile byte[] keyingMaterial;

        Client(DtlsIdentity identity, String serverFingerprint) {
            super(new BcTlsCrypto(new SecureRandom()));
            this.identity = identity;
            this.serverFingerprint = serverFingerprint;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return new int[]{CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256};
        }

        @Override
        public Hashtable getClientExtensions() throws IOException {
            Hashtable ext = super.getClientExtensions();
            TlsSRTPUtils.addUseSRTPExtension(ext, new UseSRTPData(new int[]{SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80}, TlsUtils.EMPTY_BYTES));
            return ext;
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate sc) throws IOException {
                    if (!DtlsIdentity.matches(serverFingerprint, sc.getCertificate().getCertificateAt(0).getEncoded())) {
                        throw new TlsFatalAlert((short) 42);
                    }
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                    BcTlsCrypto crypto = (BcTlsCrypto) getCrypto();
                    Certificate cert = new Certificate(new TlsCertificate[]{crypto.createCertificate(identity.certificateDer())});
                    return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, identity.privateKey(), cert,
                            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
                }
            };
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            keyingMaterial = context.exportKeyingMaterial("EXTRACTOR-dtls_srtp", null, 60);
        }
    }
}

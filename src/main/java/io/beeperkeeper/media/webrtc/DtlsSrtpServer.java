package io.beeperkeeper.media.webrtc;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Hashtable;
import java.util.Vector;

/**
 * The DTLS 1.2 server side of DTLS-SRTP (RFC 5764) on BouncyCastle's TLS stack: ECDSA certificate,
 * the {@code use_srtp} extension with SRTP_AES128_CM_HMAC_SHA1_80, a client certificate that must
 * match the fingerprint in the browser's offer, and the SRTP keys exported after the handshake.
 */
final class DtlsSrtpServer extends DefaultTlsServer {
    /** key(16) and salt(14) for each side: RFC 5764 section 4.2. */
    static final int KEY_LEN = 16;
    static final int SALT_LEN = 14;

    private final DtlsIdentity identity;
    private final String remoteFingerprint;
    private volatile SrtpKeys keys;

    /** Keying material split per RFC 5764: the client's (browser's) and the server's (hub's) key and salt. */
    record SrtpKeys(byte[] clientKey, byte[] clientSalt, byte[] serverKey, byte[] serverSalt) {
    }

    DtlsSrtpServer(DtlsIdentity identity, String remoteFingerprint) {
        super(new BcTlsCrypto(new SecureRandom()));
        this.identity = identity;
        this.remoteFingerprint = remoteFingerprint;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return new int[]{
                CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
                CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
                CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
                CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        };
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        BcTlsCrypto crypto = (BcTlsCrypto) getCrypto();
        Certificate cert = new Certificate(new TlsCertificate[]{crypto.createCertificate(identity.certificateDer())});
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, identity.privateKey(), cert,
                SignatureAndHashAlgorithm.getInstance(org.bouncycastle.tls.HashAlgorithm.sha256, org.bouncycastle.tls.SignatureAlgorithm.ecdsa));
    }

    @Override
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData srtp = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        boolean ok = false;
        if (srtp != null) {
            for (int p : srtp.getProtectionProfiles()) {
                ok |= p == SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80;
            }
        }
        if (!ok) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "client does not offer use_srtp SRTP_AES128_CM_HMAC_SHA1_80");
        }
    }

    @Override
    public Hashtable getServerExtensions() throws IOException {
        Hashtable ext = super.getServerExtensions();
        TlsSRTPUtils.addUseSRTPExtension(ext, new UseSRTPData(new int[]{SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80}, TlsUtils.EMPTY_BYTES));
        return ext;
    }

    @Override
    public CertificateRequest getCertificateRequest() {
        Vector<SignatureAndHashAlgorithm> algs = new Vector<>();
        algs.add(SignatureAndHashAlgorithm.getInstance(org.bouncycastle.tls.HashAlgorithm.sha256, org.bouncycastle.tls.SignatureAlgorithm.ecdsa));
        algs.add(SignatureAndHashAlgorithm.getInstance(org.bouncycastle.tls.HashAlgorithm.sha384, org.bouncycastle.tls.SignatureAlgorithm.ecdsa));
        algs.add(SignatureAndHashAlgorithm.rsa_pss_rsae_sha256);
        algs.add(SignatureAndHashAlgorithm.getInstance(org.bouncycastle.tls.HashAlgorithm.sha256, org.bouncycastle.tls.SignatureAlgorithm.rsa));
        return new CertificateRequest(new short[]{ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign}, algs, null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        // The browser's certificate is self-signed; what makes it trusted is its fingerprint in the
        // offer that reached us over HTTPS/HTTP (RFC 8122). Anything else is a man in the middle.
        if (clientCertificate == null || clientCertificate.isEmpty()
                || !DtlsIdentity.matches(remoteFingerprint, clientCertificate.getCertificateAt(0).getEncoded())) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "client certificate does not match the offer's fingerprint");
        }
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        byte[] m = context.exportKeyingMaterial("EXTRACTOR-dtls_srtp", null, 2 * (KEY_LEN + SALT_LEN));
        byte[] ck = new byte[KEY_LEN];
        byte[] sk = new byte[KEY_LEN];
        byte[] cs = new byte[SALT_LEN];
        byte[] ss = new byte[SALT_LEN];
        System.arraycopy(m, 0, ck, 0, KEY_LEN);
        System.arraycopy(m, KEY_LEN, sk, 0, KEY_LEN);
        System.arraycopy(m, 2 * KEY_LEN, cs, 0, SALT_LEN);
        System.arraycopy(m, 2 * KEY_LEN + SALT_LEN, ss, 0, SALT_LEN);
        keys = new SrtpKeys(ck, cs, sk, ss);
    }

    /** The SRTP keys, once the handshake is complete (else null). */
    SrtpKeys keys() {
        return keys;
    }
}

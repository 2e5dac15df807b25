package io.beeperkeeper.media.webrtc;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The hub's DTLS identity: a self-signed ECDSA P-256 certificate made at start (WebRTC trusts it by
 * the fingerprint in the SDP, not by a CA), its private key, and its SHA-256 fingerprint.
 */
final class DtlsIdentity {
    private final byte[] certificateDer;
    private final AsymmetricKeyParameter privateKey;
    private final String fingerprint;

    private DtlsIdentity(byte[] certificateDer, AsymmetricKeyParameter privateKey) {
        this.certificateDer = certificateDer;
        this.privateKey = privateKey;
        this.fingerprint = fingerprintOf(certificateDer);
    }

    public static DtlsIdentity generate() {
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
            kpg.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair kp = kpg.generateKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500Name("CN=beeper-keeper");
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, new BigInteger(63, new SecureRandom()),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365))), name, kp.getPublic());
            byte[] der = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())).getEncoded();
            return new DtlsIdentity(der, PrivateKeyFactory.createKey(kp.getPrivate().getEncoded()));
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot create the DTLS certificate: " + e.getMessage(), e);
        }
    }

    /** SHA-256 of a DER certificate as SDP writes it: upper-case hex bytes joined by ':'. */
    public static String fingerprintOf(byte[] der) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(der);
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(h);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code sdpFingerprint} ("sha-256 AB:CD...") names this DER certificate. */
    static boolean matches(String sdpFingerprint, byte[] der) {
        if (sdpFingerprint == null) {
            return false;
        }
        String[] p = sdpFingerprint.trim().split(" +", 2);
        return p.length == 2 && p[0].toLowerCase(Locale.ROOT).equals("sha-256") && p[1].equalsIgnoreCase(fingerprintOf(der));
    }

    public String fingerprint() {
        return fingerprint;
    }

    byte[] certificateDer() {
        return certificateDer.clone();
    }

    AsymmetricKeyParameter privateKey() {
        return privateKey;
    }
}

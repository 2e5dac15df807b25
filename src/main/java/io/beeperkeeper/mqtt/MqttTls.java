package io.beeperkeeper.mqtt;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * TLS for an external broker ({@code ssl://} URL): the JVM's trusted CAs by default, or the PEM CA file
 * named in {@code mqtt.caFile} (a home broker's self-made CA). Built with the JDK alone.
 */
public final class MqttTls {
    private MqttTls() {
    }

    public static SSLSocketFactory socketFactory(String caFile) throws IOException {
        try {
            if (caFile == null || caFile.isBlank()) {
                return SSLContext.getDefault().getSocketFactory();
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            Collection<? extends Certificate> certs;
            try (InputStream in = Files.newInputStream(Path.of(caFile))) {
                certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            if (certs.isEmpty()) {
                throw new IOException("mqtt.caFile " + caFile + " holds no PEM certificate");
            }
            int i = 0;
            for (Certificate c : certs) {
                trust.setCertificateEntry("ca" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS for MQTT with CA file '" + caFile + "': " + e.getMessage(), e);
        }
    }
}

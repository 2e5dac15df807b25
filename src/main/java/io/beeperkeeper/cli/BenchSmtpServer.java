package io.beeperkeeper.cli;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The mail server {@code beeper bench alerts} delivers to, and the one the e-mail channel's tests
 * deliver to, on 127.0.0.1 (RFC 5321 subset): EHLO, STARTTLS (RFC 3207) with a self-signed certificate
 * made by the JDK's keytool, AUTH PLAIN, MAIL, RCPT, DATA, QUIT. Records every message it accepts,
 * whether it came over TLS, who logged in and when its DATA completed. Hand-written rather than
 * GreenMail or SubEthaSMTP: neither is a dependency of the project, and the benchmark needs only this
 * subset and the arrival time, in the shipped jar.
 */
public final class BenchSmtpServer implements AutoCloseable {
    public record Mail(String from, List<String> to, String data, boolean tls, String user, long arrivedNanos) {
    }

    public final BlockingQueue<Mail> received = new LinkedBlockingQueue<>();
    private final ServerSocket server;
    private final SSLContext tls;
    private final Path keystore;
    private final Thread thread;

    /** @param keystoreDir where the certificate is made; null: no STARTTLS offered */
    public BenchSmtpServer(Path keystoreDir) throws Exception {
        this.keystore = keystoreDir == null ? null : keystoreDir.resolve("smtp.p12");
        this.tls = keystoreDir == null ? null : context(keystoreDir);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.thread = new Thread(this::serve, "bench-smtp");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The PKCS12 keystore (password {@code changeit}) holding the certificate, for a client to trust. */
    Path keystore() {
        return keystore;
    }

    /** A client context that trusts this server's certificate; null when no STARTTLS is offered. */
    public SSLContext clientContext() {
        return tls;
    }

    private static SSLContext context(Path dir) throws Exception {
        Path ks = dir.resolve("smtp.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "smtp", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + new String(out, StandardCharsets.UTF_8));
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return c;
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(20_000);
                session(s);
            } catch (IOException e) {
                // a client that went away; keep serving
            }
        }
    }

    private void session(Socket plain) throws IOException {
        Socket s = plain;
        BufferedReader in = reader(s);
        OutputStream out = s.getOutputStream();
        boolean secure = false;
        String user = null;
        String from = null;
        List<String> to = new ArrayList<>();
        write(out, "220 localhost bench SMTP");
        String line;
        while ((line = in.readLine()) != null) {
            String upper = line.toUpperCase();
            if (upper.startsWith("EHLO")) {
                List<String> lines = new ArrayList<>(List.of("localhost"));
                if (tls != null && !secure) {
                    lines.add("STARTTLS");
                }
                lines.add("AUTH PLAIN");
                for (int i = 0; i < lines.size(); i++) {
                    write(out, "250" + (i < lines.size() - 1 ? "-" : " ") + lines.get(i));
                }
            } else if (upper.equals("STARTTLS") && tls != null && !secure) {
                write(out, "220 go ahead");
                SSLSocket t = (SSLSocket) tls.getSocketFactory().createSocket(s, "127.0.0.1", s.getPort(), true);
                t.setUseClientMode(false);
                t.startHandshake();
                s = t;
                in = reader(s);
                out = s.getOutputStream();
                secure = true;
            } else if (upper.startsWith("AUTH PLAIN ")) {
                String[] parts = new String(Base64.getDecoder().decode(line.substring(11).trim()), StandardCharsets.UTF_8).split("\0");
                user = parts.length > 1 ? parts[1] : "";
                write(out, "235 ok");
            } else if (upper.startsWith("MAIL FROM:")) {
                from = line.substring(10).replaceAll("[<>]", "").trim();
                to.clear();
                write(out, "250 ok");
            } else if (upper.startsWith("RCPT TO:")) {
                to.add(line.substring(8).replaceAll("[<>]", "").trim());
                write(out, "250 ok");
            } else if (upper.equals("DATA")) {
                write(out, "354 end with .");
                StringBuilder data = new StringBuilder();
                String d;
                while ((d = in.readLine()) != null && !d.equals(".")) {
                    data.append(d.startsWith("..") ? d.substring(1) : d).append('\n');
                }
                received.add(new Mail(from, List.copyOf(to), data.toString(), secure, user, System.nanoTime()));
                write(out, "250 queued");
            } else if (upper.equals("QUIT")) {
                write(out, "221 bye");
                return;
            } else {
                write(out, "502 not implemented");
            }
        }
    }

    private static BufferedReader reader(Socket s) throws IOException {
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void write(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}

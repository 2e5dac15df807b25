package io.beeperkeeper.alerts;

import io.beeperkeeper.config.AlertsConfig;

import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * E-mail over SMTP, written here (a few commands) rather than pulling a mail library onto the Pi:
 * EHLO, STARTTLS (required when {@code startTls}: a server that does not offer it is refused, so the
 * password never crosses the network in the clear), EHLO again, AUTH PLAIN with a username, then one
 * plain-text UTF-8 message to every address in {@code to}. Replies are checked at each step; an error
 * names the step and the server's answer, never the password.
 */
final class EmailChannel implements Channel {
    private static final int TIMEOUT_MS = 15_000;

    private final AlertsConfig.Email config;
    private final String node;
    private final SSLSocketFactory tls;
    private final List<String> to = new ArrayList<>();

    /** @param tls how to open the TLS session after STARTTLS (the JDK's default trusts the usual CAs) */
    public EmailChannel(AlertsConfig.Email config, String node, SSLSocketFactory tls) {
        this.config = config;
        this.node = node;
        this.tls = tls;
        for (String a : config.to().split(",")) {
            if (!a.isBlank()) {
                to.add(a.trim());
            }
        }
    }

    @Override
    public String name() {
        return "email";
    }

    @Override
    public void send(AlertEvent e) throws IOException {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(config.host(), config.port()), TIMEOUT_MS);
            plain.setSoTimeout(TIMEOUT_MS);
            Conversation c = new Conversation(plain);
            c.expect("greeting", 220);
            List<String> ext = c.command("EHLO", "EHLO " + hostName(), 250);
            Socket s = plain;
            if (config.startTls()) {
                if (ext.stream().noneMatch(l -> l.toUpperCase(Locale.ROOT).startsWith("STARTTLS"))) {
                    throw new IOException("the SMTP server does not offer STARTTLS (set alerts.email.startTls: false only on a trusted network)");
                }
                c.command("STARTTLS", "STARTTLS", 220);
                SSLSocket secure = (SSLSocket) tls.createSocket(plain, config.host(), config.port(), true);
                javax.net.ssl.SSLParameters params = secure.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
                secure.setSSLParameters(params);
                secure.setSoTimeout(TIMEOUT_MS);
                secure.startHandshake();
                s = secure;
                c = new Conversation(secure);
                c.command("EHLO", "EHLO " + hostName(), 250);
            }
            if (!config.username().isEmpty()) {
                String token = Base64.getEncoder().encodeToString(("\0" + config.username() + "\0" + config.password())
                        .getBytes(StandardCharsets.UTF_8));
                c.command("AUTH", "AUTH PLAIN " + token, 235);
            }
            c.command("MAIL FROM", "MAIL FROM:<" + config.from() + ">", 250);
            for (String rcpt : to) {
                c.command("RCPT TO", "RCPT TO:<" + rcpt + ">", 250, 251);
            }
            c.command("DATA", "DATA", 354);
            c.raw(message(e));
            c.command("end of message", ".", 250);
            c.command("QUIT", "QUIT", 221);
            if (s != plain) {
                s.close();
            }
        }
    }

    private String message(AlertEvent e) {
        String subject = Messages.subject(e, node);
        StringBuilder m = new StringBuilder();
        m.append("From: Beeper Keeper <").append(config.from()).append(">\r\n");
        m.append("To: ").append(String.join(", ", to)).append("\r\n");
        m.append("Subject: =?UTF-8?B?").append(Base64.getEncoder().encodeToString(subject.getBytes(StandardCharsets.UTF_8))).append("?=\r\n");
        m.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now())).append("\r\n");
        m.append("Message-ID: <").append(UUID.randomUUID()).append("@beeper-keeper>\r\n");
        m.append("X-Beeper-Alert: ").append(e.alert().id()).append("; ").append(e.type().label()).append("\r\n");
        m.append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
        for (String line : Messages.body(e).split("\n", -1)) {
            m.append(line.startsWith(".") ? "." + line : line).append("\r\n"); // dot-stuffing
        }
        return m.toString();
    }

    private static String hostName() {
        return "beeper-keeper.local";
    }

    /** One SMTP exchange: a command, then the reply lines, checked against the codes allowed. */
    private static final class Conversation {
        private final BufferedReader in;
        private final OutputStream out;

        Conversation(Socket s) throws IOException {
            this.in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            this.out = s.getOutputStream();
        }

        void raw(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }

        List<String> command(String step, String line, int... ok) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return expect(step, ok);
        }

        List<String> expect(String step, int... ok) throws IOException {
            List<String> lines = new ArrayList<>();
            String l;
            do {
                l = in.readLine();
                if (l == null) {
                    throw new IOException("SMTP server closed the connection at " + step);
                }
                lines.add(l.length() > 4 ? l.substring(4) : "");
            } while (l.length() > 3 && l.charAt(3) == '-');
            int code;
            try {
                code = Integer.parseInt(l.substring(0, 3));
            } catch (RuntimeException ex) {
                throw new IOException("SMTP server answered '" + l + "' at " + step);
            }
            for (int c : ok) {
                if (c == code) {
                    return lines;
                }
            }
            throw new IOException("SMTP " + step + " refused: " + l);
        }
    }
}

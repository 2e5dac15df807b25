package io.beeperkeeper.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * A generic webhook: each notification is a JSON POST ({@code event}, {@code node}, {@code at},
 * {@code alert}). With a secret, {@code X-Beeper-Signature: sha256=<hex HMAC-SHA256 of the body>} lets
 * the receiver check it came from this hub. Errors name the status, never the URL (it may hold a token).
 */
final class WebhookChannel implements Channel {
    public static final String SIGNATURE_HEADER = "X-Beeper-Signature";

    private final URI url;
    private final byte[] secret;
    private final String node;
    private final ObjectMapper json;
    private final HttpClient http;

    public WebhookChannel(String url, String secret, String node, ObjectMapper json, HttpClient http) {
        this.url = URI.create(url);
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.node = node;
        this.json = json;
        this.http = http;
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public void send(AlertEvent e) throws IOException, InterruptedException {
        byte[] body = json.writeValueAsBytes(Messages.json(e, node));
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("User-Agent", "beeper-keeper")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (secret.length > 0) {
            b.header(SIGNATURE_HEADER, "sha256=" + sign(secret, body));
        }
        HttpResponse<Void> r = http.send(b.build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() / 100 != 2) {
            throw new IOException("webhook answered HTTP " + r.statusCode());
        }
    }

    /** Hex HMAC-SHA256 of {@code body} with {@code key}. */
    public static String sign(byte[] key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", ex);
        }
    }
}

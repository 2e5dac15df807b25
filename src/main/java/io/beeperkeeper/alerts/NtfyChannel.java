package io.beeperkeeper.alerts;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * ntfy push (ntfy.sh or a self-hosted server): a POST of the message to {@code <url>/<topic>} with
 * its title, a priority (critical = 5 "urgent", warning = 4, info = 3, resolved = 2) and tags in
 * headers, and {@code Authorization: Bearer <token>} for a protected topic.
 */
final class NtfyChannel implements Channel {
    private final URI target;
    private final String token;
    private final String node;
    private final HttpClient http;

    public NtfyChannel(String url, String topic, String token, String node, HttpClient http) {
        this.target = URI.create(url.replaceAll("/+$", "") + "/" + topic);
        this.token = token;
        this.node = node;
        this.http = http;
    }

    @Override
    public String name() {
        return "ntfy";
    }

    @Override
    public void send(AlertEvent e) throws IOException, InterruptedException {
        boolean resolved = e.type() == AlertEvent.Type.RESOLVED;
        String priority = resolved ? "2" : switch (e.alert().severity()) {
            case "critical" -> "5";
            case "warning" -> "4";
            default -> "3";
        };
        HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10))
                .header("Title", ascii(Messages.subject(e, node)))
                .header("Priority", priority)
                .header("Tags", resolved ? "white_check_mark" : e.alert().severity().equals("critical") ? "rotating_light" : "warning")
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(Messages.body(e), StandardCharsets.UTF_8));
        if (!token.isEmpty()) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<Void> r = http.send(b.build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() / 100 != 2) {
            throw new IOException("ntfy answered HTTP " + r.statusCode());
        }
    }

    /** HTTP headers are ASCII: other characters become '?' (the body keeps them). */
    private static String ascii(String s) {
        return s.replaceAll("[^\\x20-\\x7E]", "?");
    }
}

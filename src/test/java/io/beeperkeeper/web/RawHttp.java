package io.beeperkeeper.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 written by hand over a socket, for requests Java's HTTP client refuses to send (a forged
 * {@code Host}, a WebSocket upgrade): the answer's status and the bytes read until the server closes
 * or the headers (and a short body) have arrived.
 */
final class RawHttp {
    private RawHttp() {
    }

    record Answer(int status, String text) {
    }

    /** Sends {@code head} (request line and headers, without the blank line) and the body. */
    static Answer send(int port, String head, String body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            String req = head + "\r\n" + (b.length > 0 ? "Content-Length: " + b.length + "\r\n" : "") + (head.contains("\r\nConnection:") ? "" : "Connection: close\r\n") + "\r\n";
            s.getOutputStream().write(req.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().write(b);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) > 0) {
                got.write(buf, 0, n);
                String text = got.toString(StandardCharsets.UTF_8);
                int end = text.indexOf("\r\n\r\n");
                // upgrades and event streams stay open: the head (and what came with it) is enough
                if (end > 0 && (text.startsWith("HTTP/1.1 101") || text.contains("text/event-stream"))) {
                    break;
                }
                java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)\r\ncontent-length: *(\\d+)").matcher(text);
                if (end > 0 && length.find() && length.start() < end
                        && got.size() >= text.substring(0, end + 4).getBytes(StandardCharsets.UTF_8).length + Integer.parseInt(length.group(1))) {
                    break;
                }
            }
            String text = got.toString(StandardCharsets.UTF_8);
            if (!text.startsWith("HTTP/1.1 ")) {
                throw new IOException("not an HTTP answer: " + text);
            }
            return new Answer(Integer.parseInt(text.substring(9, 12)), text);
        }
    }
}

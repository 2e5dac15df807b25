package io.beeperkeeper.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Plays Cloudflare's edge in front of the hub for one signed-in visitor: a loopback TCP proxy that adds
 * the visitor's headers (Cf-Access-Jwt-Assertion) to every HTTP request it forwards, WebSocket upgrades
 * included, as the real edge does. (DevTools' extra headers do not reach WebSocket handshakes.)
 * Requests on a kept-alive connection are read one by one (head, then Content-Length bytes of body);
 * after an upgrade, bytes pass through unchanged.
 */
final class AccessEdge implements AutoCloseable {
    private final ServerSocket server;
    private final int hubPort;
    private final String extra;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "access-edge");
        t.setDaemon(true);
        return t;
    });

    AccessEdge(int hubPort, Map<String, String> headers) throws IOException {
        this.hubPort = hubPort;
        StringBuilder sb = new StringBuilder();
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        this.extra = sb.toString();
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        pool.execute(this::acceptLoop);
    }

    /** The address the visitor's browser opens instead of the hub's. */
    String base() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/";
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                pool.execute(() -> relay(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void relay(Socket client) {
        try (client; Socket hub = new Socket(InetAddress.getLoopbackAddress(), hubPort)) {
            pool.execute(() -> pipe(hub, client));
            InputStream in = client.getInputStream();
            OutputStream out = hub.getOutputStream();
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                int end = head.indexOf("\r\n") + 2;
                out.write((head.substring(0, end) + extra + head.substring(end)).getBytes(StandardCharsets.ISO_8859_1));
                String lower = head.toLowerCase(Locale.ROOT);
                if (lower.contains("\r\nupgrade:")) {
                    in.transferTo(out);
                    return;
                }
                long length = contentLength(lower);
                for (long left = length; left > 0; ) {
                    byte[] buf = in.readNBytes((int) Math.min(left, 8192));
                    if (buf.length == 0) {
                        return;
                    }
                    out.write(buf);
                    left -= buf.length;
                }
                out.flush();
            }
        } catch (IOException e) {
            // the browser or the hub closed the connection
        }
    }

    private static long contentLength(String lowerHead) {
        int i = lowerHead.indexOf("\r\ncontent-length:");
        if (i < 0) {
            return 0;
        }
        int start = i + "\r\ncontent-length:".length();
        int stop = lowerHead.indexOf("\r\n", start);
        return Long.parseLong(lowerHead.substring(start, stop < 0 ? lowerHead.length() : stop).trim());
    }

    /** One request head up to and including the blank line, or null at the end of the connection. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // closed
        } finally {
            try {
                to.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        pool.shutdownNow();
    }
}

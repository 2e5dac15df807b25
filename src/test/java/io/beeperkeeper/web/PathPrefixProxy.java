package io.beeperkeeper.web;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A reverse proxy that serves the hub under a sub-path, as a keeper's web server might
 * ({@code http://127.0.0.1:P/coop/} -> the hub's {@code /}): it strips the prefix from each request
 * and pipes the bytes both ways, so SSE and WebSocket upgrades pass. It rewrites nothing in the
 * answers (no Location rewriting). A request outside the prefix gets 404 and is recorded: the page
 * must make none. One request per connection (Connection: close), which keeps the rewriting simple.
 */
public final class PathPrefixProxy implements Closeable {
    /** One request as the browser sent it. */
    public record Request(String method, String path) {
    }

    private final String prefix;
    private final int hubPort;
    private final ServerSocket server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Request> outside = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    /** @param prefix e.g. "/coop" (no trailing slash) */
    public PathPrefixProxy(String prefix, int hubPort) throws IOException {
        this.prefix = prefix;
        this.hubPort = hubPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "prefix-proxy");
        accept.setDaemon(true);
        accept.start();
    }

    /** The page's address through the proxy, ending in "/". */
    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort() + prefix + "/";
    }

    /** Every request seen, in order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Requests for paths outside the prefix (each answered 404). */
    public List<Request> outsidePrefix() {
        return List.copyOf(outside);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                Thread t = new Thread(() -> handle(client), "prefix-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            byte[] head = readHead(in);
            if (head == null) {
                return;
            }
            String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\r\n");
            String[] requestLine = lines[0].split(" ");
            if (requestLine.length != 3) {
                return;
            }
            Request r = new Request(requestLine[0], requestLine[1]);
            requests.add(r);
            String path = requestLine[1];
            if (!(path.equals(prefix) || path.startsWith(prefix + "/") || path.startsWith(prefix + "?"))) {
                outside.add(r);
                client.getOutputStream().write(("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 24\r\n"
                        + "Connection: close\r\n\r\noutside the proxy prefix").getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            String rest = path.substring(prefix.length());
            if (rest.isEmpty() || rest.startsWith("?")) {
                rest = "/" + rest;
            }
            StringBuilder out = new StringBuilder(requestLine[0] + " " + rest + " " + requestLine[2] + "\r\n");
            boolean upgrade = false;
            for (int i = 1; i < lines.length; i++) {
                String name = lines[i].contains(":") ? lines[i].substring(0, lines[i].indexOf(':')).trim().toLowerCase() : "";
                if (name.equals("upgrade")) {
                    upgrade = true;
                }
                if (!name.equals("connection") && !name.equals("keep-alive") && !lines[i].isEmpty()) {
                    out.append(lines[i]).append("\r\n");
                }
            }
            out.append(upgrade ? "Connection: Upgrade\r\n" : "Connection: close\r\n").append("\r\n");
            try (Socket hub = new Socket(InetAddress.getLoopbackAddress(), hubPort)) {
                open.add(hub);
                hub.setTcpNoDelay(true);
                hub.getOutputStream().write(out.toString().getBytes(StandardCharsets.ISO_8859_1));
                Thread up = new Thread(() -> pipe(in, hub, true), "prefix-proxy-up");
                up.setDaemon(true);
                up.start();
                pipe(hub.getInputStream(), client, false);
                open.remove(hub);
            }
        } catch (IOException e) {
            // the browser or the hub closed the connection
        } finally {
            open.remove(client);
        }
    }

    /** Copies until end of stream; then half-closes (request body done) or closes (answer done). */
    private static void pipe(InputStream from, Socket to, boolean halfClose) {
        byte[] buf = new byte[16384];
        try {
            OutputStream o = to.getOutputStream();
            int n;
            while ((n = from.read(buf)) >= 0) {
                o.write(buf, 0, n);
                o.flush();
            }
            if (halfClose) {
                to.shutdownOutput();
            } else {
                to.close();
            }
        } catch (IOException e) {
            // one side went away
        }
    }

    /** Reads up to and including the blank line that ends the request head, byte by byte. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (b.size() < 65536) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            b.write(c);
            matched = c == end[matched] ? matched + 1 : (c == '\r' ? 1 : 0);
            if (matched == 4) {
                byte[] all = b.toByteArray();
                byte[] head = new byte[all.length - 4];
                System.arraycopy(all, 0, head, 0, head.length);
                return head;
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }
}

package io.beeperkeeper.web;

import io.beeperkeeper.config.WebConfig;
import io.beeperkeeper.feature.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Jetty's threads sized for a Pi: 2,000 connections that each send a request and then sit idle
 * never take more than the pool's maximum, and once they are gone the idle threads go too.
 */
class WebThreadsTest {
    static final int CONNECTIONS = 2000;
    WebServer web;
    LiveEvents events;

    @AfterEach
    void stop() {
        if (web != null) {
            web.close();
        }
        if (events != null) {
            events.close();
        }
    }

    @Test
    void threadsStayBoundedUnderTwoThousandConnectionsAndDropBackWhenTheyAreGone() throws Exception {
        events = new LiveEvents(Json.newMapper());
        WebModule ping = app -> app.get("/api/ping", ctx -> ctx.result("pong"));
        web = new WebServer(new WebConfig("127.0.0.1", 0, ""), Json.newMapper(), events, List.of(ping));
        web.start();
        int idleBefore = web.threadCount();
        List<Socket> sockets = new ArrayList<>();
        AtomicInteger peak = new AtomicInteger();
        try {
            byte[] request = ("GET /api/ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            for (int i = 0; i < CONNECTIONS; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", web.port()), 10_000);
                s.setSoTimeout(30_000);
                sockets.add(s);
                s.getOutputStream().write(request);
                peak.accumulateAndGet(web.threadCount(), Math::max);
            }
            for (Socket s : sockets) {
                InputStream in = s.getInputStream();
                byte[] buf = new byte[512];
                StringBuilder got = new StringBuilder();
                while (!got.toString().endsWith("pong")) {
                    int n = in.read(buf);
                    assertThat(n).as("answer before the connection closed").isPositive();
                    got.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                }
                peak.accumulateAndGet(web.threadCount(), Math::max);
            }
            // every connection answered and is now idle (kept alive)
            int withIdleConnections = web.threadCount();
            for (Socket s : sockets) {
                s.close();
            }
            long closedAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).until(() -> web.threadCount() <= WebServer.MIN_THREADS + 4);
            System.out.printf("web threads: %d idle at start, peak %d with %d connections, %d while they sat idle, %d %.1f s after they closed%n",
                    idleBefore, peak.get(), CONNECTIONS, withIdleConnections, web.threadCount(), (System.nanoTime() - closedAt) / 1e9);
            assertThat(peak.get()).isLessThanOrEqualTo(WebServer.MAX_THREADS);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}

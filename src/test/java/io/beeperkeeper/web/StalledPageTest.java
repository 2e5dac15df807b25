package io.beeperkeeper.web;

import io.beeperkeeper.config.WebConfig;
import io.beeperkeeper.feature.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One page that stops reading its event stream (a phone asleep on a stalled connection) must not
 * hold back the others: at 1,000 events/s a reading page gets every event within 100 ms while a
 * page that never reads (a raw socket with a tiny receive buffer) fills its queue, is disconnected
 * and counted in health.
 */
class StalledPageTest {
    static final long MAX_DELAY_MS = 100;
    WebServer web;
    LiveEvents events;
    final AtomicLong maxDelayNanos = new AtomicLong();
    final AtomicLong received = new AtomicLong();
    volatile long measureFrom;

    @AfterEach
    void stop() {
        if (web != null) {
            web.close();
        }
        if (events != null) {
            events.close();
        }
    }

    static Socket openStream(int port, int receiveBuffer) throws Exception {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(new InetSocketAddress("127.0.0.1", port));
        s.getOutputStream().write(("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        return s;
    }

    /** Reads events and records how late each one arrived (its data carries the send time). */
    void read(Socket s) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("data: {\"sent\":")) {
                    long sent = Long.parseLong(line.substring(14, line.indexOf(',')));
                    long delay = System.nanoTime() - sent;
                    received.incrementAndGet();
                    if (sent >= measureFrom) {
                        maxDelayNanos.accumulateAndGet(delay, Math::max);
                    }
                }
            }
        } catch (Exception e) {
            // closed at the end of the test
        }
    }

    @Test
    void aPageThatNeverReadsDoesNotDelayTheOthers() throws Exception {
        events = new LiveEvents(Json.newMapper());
        web = new WebServer(new WebConfig("127.0.0.1", 0, ""), Json.newMapper(), events, List.of());
        web.start();
        int port = web.port();

        try (Socket stalled = openStream(port, 4096); Socket reader = openStream(port, 0)) {
            Thread readerThread = new Thread(() -> read(reader), "test-sse-reader");
            readerThread.setDaemon(true);
            readerThread.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> events.health().detail().startsWith("2 pages connected"));

            String pad = "x".repeat(2000);
            Thread publisher = new Thread(() -> {
                long next = System.nanoTime();
                while (!Thread.currentThread().isInterrupted()) {
                    events.publish("tick", "{\"sent\":" + System.nanoTime() + ",\"pad\":\"" + pad + "\"}");
                    next += 1_000_000; // 1,000 events per second
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
            }, "test-sse-publisher");
            publisher.setDaemon(true);
            // the first second warms the JIT up; from then on every event counts
            measureFrom = System.nanoTime() + 1_000_000_000L;
            publisher.start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> events.slowPagesDropped() >= 1);
                long afterDrop = received.get();
                await().atMost(Duration.ofSeconds(20)).until(() -> received.get() > afterDrop + 1000);
            } finally {
                publisher.interrupt();
                publisher.join(5000);
            }
            System.out.printf("stalled page dropped after %d events to the reading page; its latest event at most %.1f ms late%n",
                    received.get(), maxDelayNanos.get() / 1e6);
            assertThat(maxDelayNanos.get() / 1_000_000).as("worst delay of the reading page's events, ms").isLessThanOrEqualTo(MAX_DELAY_MS);
            assertThat(events.health().detail()).contains("1 pages connected").contains("1 disconnected for not reading");
        }
    }
}


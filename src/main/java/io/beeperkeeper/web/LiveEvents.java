package io.beeperkeeper.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.feature.Threads;
import io.beeperkeeper.health.ComponentHealth;
import io.javalin.http.sse.SseClient;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Server-Sent Events to every open page ({@code GET /api/events}). Publishers never block: events go
 * into a bounded queue and one sender thread formats each once and hands it to every page's own
 * bounded queue ({@link SseChannel}), which is written without blocking. A page that stops reading
 * (a phone asleep on a stalled connection) therefore delays no one else: when its queue overflows it
 * is disconnected and counted, and reconnects by itself (EventSource does) with a fresh snapshot.
 * When the shared queue is full the oldest events are dropped and counted. The slowest hand-out of one
 * event to every page is kept: the sender's own time, which a page that blocked it would stretch.
 */
public final class LiveEvents implements AutoCloseable, MeterBinder {
    private static final Logger log = LoggerFactory.getLogger(LiveEvents.class);
    private static final int QUEUE_CAPACITY = 1024;

    private record Event(String name, String json) {
    }

    private final ObjectMapper json;
    private final Set<SseChannel> clients = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong slowPagesDropped = new AtomicLong();
    private final AtomicLong slowestHandOutNanos = new AtomicLong();
    private final ExecutorService closer = Executors.newSingleThreadExecutor(Threads.daemon("sse-close"));
    private volatile Thread sender;
    private volatile boolean closed;
    private volatile String greetingName;
    private volatile Supplier<Object> greeting;

    public LiveEvents(ObjectMapper json) {
        this.json = json;
    }

    /** Starts the sender thread (with the web server); idempotent. */
    public synchronized void start() {
        if (sender == null && !closed) {
            sender = Threads.start("sse-sender", this::sendLoop);
        }
    }

    /** What a new page gets first (e.g. the latest value of every metric), as event {@code eventName}. */
    public void onConnect(String eventName, Supplier<Object> payload) {
        this.greetingName = eventName;
        this.greeting = payload;
    }

    /** Queues an event for every page; the payload is serialised to JSON here, once. */
    public void publish(String eventName, Object payload) {
        Event event = new Event(eventName, serialise(eventName, payload));
        while (!queue.offer(event)) {
            queue.poll();
            dropped.incrementAndGet();
        }
    }

    /** Javalin SSE handler: keeps the connection open, greets the page and registers it. */
    public void accept(SseClient client) {
        client.keepAlive();
        SseChannel channel = new SseChannel(client);
        client.onClose(() -> {
            clients.remove(channel);
            channel.close();
        });
        Supplier<Object> g = greeting;
        if (g != null) {
            try {
                channel.offer(frame(greetingName, serialise(greetingName, g.get())));
            } catch (RuntimeException e) {
                log.debug("SSE greeting failed: {}", e.toString());
            }
        }
        if (closed) {
            channel.close();
            return;
        }
        clients.add(channel);
        channel.open();
    }

    /** Pages connected, pages dropped for not reading, events dropped before reaching any page. */
    public ComponentHealth health() {
        return ComponentHealth.up(clients.size() + " pages connected, " + slowPagesDropped.get()
                + " disconnected for not reading, " + dropped.get() + " events dropped, slowest hand-out "
                + slowestHandOut().toMillis() + " ms");
    }

    /**
     * The longest the sender took to hand one event to every page, since start: what a page that held
     * the sender up would add to every other page's delay.
     */
    public Duration slowestHandOut() {
        return Duration.ofNanos(slowestHandOutNanos.get());
    }

    /** The open pages, those dropped for not reading and the events dropped, as meters ({@code /metrics}). */
    @Override
    public void bindTo(MeterRegistry meters) {
        Gauge.builder("beeper.sse.clients", clients, Set::size).description("pages connected to the live event stream")
                .register(meters);
        FunctionCounter.builder("beeper.sse.clients.dropped", slowPagesDropped, AtomicLong::get)
                .description("pages disconnected because they stopped reading").register(meters);
        FunctionCounter.builder("beeper.sse.events.dropped", dropped, AtomicLong::get)
                .description("events dropped before reaching any page (the shared queue was full)").register(meters);
    }

    /** Pages disconnected because their queue overflowed (they stopped reading). */
    public long slowPagesDropped() {
        return slowPagesDropped.get();
    }

    private String serialise(String eventName, Object payload) {
        try {
            return payload instanceof String s ? s : json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + eventName + " event", e);
        }
    }

    /** One SSE frame; a payload with line breaks becomes several data lines, as the format wants. */
    private static byte[] frame(String name, String data) {
        StringBuilder sb = new StringBuilder(data.length() + name.length() + 16);
        sb.append("event: ").append(name).append('\n');
        for (String line : data.split("\n", -1)) {
            sb.append("data: ").append(line).append('\n');
        }
        sb.append('\n');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void sendLoop() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Event e = queue.take();
                byte[] bytes = frame(e.name(), e.json());
                long start = System.nanoTime();
                for (SseChannel c : clients) {
                    if (c.isClosed()) {
                        clients.remove(c);
                    } else if (!c.offer(bytes)) {
                        clients.remove(c);
                        long n = slowPagesDropped.incrementAndGet();
                        // ending the response runs Javalin's completion code, and a log line may wait on its
                        // output: neither on the sender's time
                        closer.execute(() -> {
                            c.close();
                            log.info("disconnected a page from {} that stopped reading live events ({} so far)", c.remoteAddress(), n);
                        });
                    }
                }
                long took = System.nanoTime() - start;
                slowestHandOutNanos.accumulateAndGet(took, Math::max);
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        Thread s;
        synchronized (this) {
            closed = true;
            s = sender;
        }
        if (s != null) {
            s.interrupt();
        }
        closer.shutdown();
        for (SseChannel c : clients) {
            c.close();
        }
        clients.clear();
    }
}

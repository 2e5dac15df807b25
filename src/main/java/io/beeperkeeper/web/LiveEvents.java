package io.beeperkeeper.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.sse.SseClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Server-Sent Events to every open page ({@code GET /api/events}). Publishers never block: events go
 * into a bounded queue and one sender thread writes them, serialised once, to each client. When the
 * queue is full the oldest events are dropped and counted (a page catches up from the next reading).
 */
public final class LiveEvents implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveEvents.class);
    private static final int QUEUE_CAPACITY = 1024;

    private record Event(String name, String json) {
    }

    private final ObjectMapper json;
    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread sender;
    private volatile Consumer<SseClient> onConnect = c -> { };

    public LiveEvents(ObjectMapper json) {
        this.json = json;
        this.sender = new Thread(this::sendLoop, "sse-sender");
        this.sender.setDaemon(true);
        this.sender.start();
    }

    /** What a new page gets first (e.g. the latest value of every metric). */
    public void onConnect(Consumer<SseClient> greeting) {
        this.onConnect = greeting;
    }

    /** Queues an event for every page; the payload is serialised to JSON here, once. */
    public void publish(String eventName, Object payload) {
        String data;
        try {
            data = payload instanceof String s ? s : json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + eventName + " event", e);
        }
        Event event = new Event(eventName, data);
        while (!queue.offer(event)) {
            queue.poll();
            dropped.incrementAndGet();
        }
    }

    /** Javalin SSE handler: keeps the connection open and registers it. */
    public void accept(SseClient client) {
        client.keepAlive();
        client.onClose(() -> clients.remove(client));
        try {
            onConnect.accept(client);
        } catch (RuntimeException e) {
            log.debug("SSE greeting failed: {}", e.toString());
        }
        clients.add(client);
    }

    public int clientCount() {
        return clients.size();
    }

    public long dropped() {
        return dropped.get();
    }

    private void sendLoop() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Event e = queue.take();
                for (SseClient c : clients) {
                    if (c.terminated()) {
                        clients.remove(c);
                        continue;
                    }
                    try {
                        c.sendEvent(e.name(), e.json());
                    } catch (RuntimeException ex) {
                        clients.remove(c);
                    }
                }
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        sender.interrupt();
        for (SseClient c : clients) {
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // the page is gone anyway
            }
        }
        clients.clear();
    }
}

package io.beeperkeeper.web;

import io.javalin.http.sse.SseClient;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * One page's event stream: a bounded queue of formatted frames written with the servlet's
 * non-blocking output ({@link WriteListener}), so the sender never waits on a page. A write that the
 * socket cannot take at once stays pending and the rest waits in the queue until Jetty says the page
 * is writable again; {@link #offer} answers false when the queue is full (the page stopped reading).
 */
final class SseChannel implements WriteListener {
    static final int MAX_FRAMES = 512;
    static final long MAX_BYTES = 1024 * 1024;

    private final SseClient client;
    private final ArrayDeque<byte[]> frames = new ArrayDeque<>();
    private final String remoteAddress;
    private long queuedBytes;
    private ServletOutputStream out;
    private boolean unflushed;
    private boolean closed;

    SseChannel(SseClient client) {
        this.client = client;
        this.remoteAddress = client.ctx().req().getRemoteAddr() + ":" + client.ctx().req().getRemotePort();
    }

    /** Switches the response to non-blocking writes; queued frames go out as soon as Jetty allows. */
    synchronized void open() {
        if (closed) {
            return;
        }
        try {
            out = client.ctx().res().getOutputStream();
            out.setWriteListener(this);
        } catch (IOException | RuntimeException e) {
            closeLocked();
        }
    }

    /** Queues a frame; false when the queue is full. A closed channel takes (and discards) anything. */
    synchronized boolean offer(byte[] frame) {
        if (closed) {
            return true;
        }
        if (frames.size() >= MAX_FRAMES || queuedBytes + frame.length > MAX_BYTES) {
            return false;
        }
        frames.add(frame);
        queuedBytes += frame.length;
        drainLocked();
        return true;
    }

    @Override
    public synchronized void onWritePossible() {
        drainLocked();
    }

    @Override
    public synchronized void onError(Throwable t) {
        closeLocked();
    }

    synchronized boolean isClosed() {
        return closed || client.terminated();
    }

    String remoteAddress() {
        return remoteAddress;
    }

    synchronized void close() {
        closeLocked();
    }

    /**
     * Writes while the socket takes data. When {@code isReady()} answers false, Jetty calls
     * {@link #onWritePossible} once the pending write is done, which resumes here.
     */
    private void drainLocked() {
        if (out == null || closed) {
            return;
        }
        try {
            while (out.isReady()) {
                byte[] f = frames.poll();
                if (f == null) {
                    if (unflushed) {
                        unflushed = false;
                        out.flush();
                        continue;
                    }
                    return;
                }
                queuedBytes -= f.length;
                out.write(f);
                unflushed = true;
            }
        } catch (IOException | RuntimeException e) {
            closeLocked();
        }
    }

    private void closeLocked() {
        if (closed) {
            return;
        }
        closed = true;
        frames.clear();
        queuedBytes = 0;
        try {
            client.close();
        } catch (RuntimeException e) {
            // the page is gone anyway
        }
    }
}

package io.beeperkeeper.media.webrtc;

import org.bouncycastle.tls.DatagramTransport;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The DTLS transport of one WebRTC session: every session shares the hub's one UDP socket, so its
 * DTLS records arrive here from the socket's demultiplexer ({@link #offer}), wait in a small bounded
 * queue for the session's DTLS thread, and its own records go out through the shared socket.
 */
final class DtlsInbox implements DatagramTransport {
    private final BlockingQueue<byte[]> inbox;
    private final BooleanSupplier closed;
    private final Consumer<byte[]> send;

    /**
     * @param closed true once the session has ended (a waiting receive then fails)
     * @param send   sends one datagram to the browser
     */
    DtlsInbox(int capacity, BooleanSupplier closed, Consumer<byte[]> send) {
        this.inbox = new ArrayBlockingQueue<>(capacity);
        this.closed = closed;
        this.send = send;
    }

    /** Queues a datagram from the browser; false when the queue is full (it is dropped, DTLS retransmits). */
    boolean offer(byte[] datagram) {
        return inbox.offer(datagram);
    }

    @Override
    public int getReceiveLimit() {
        return 1500;
    }

    @Override
    public int getSendLimit() {
        return 1150;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (closed.getAsBoolean()) {
            throw new IOException("session closed");
        }
        try {
            byte[] d = inbox.poll(waitMillis, TimeUnit.MILLISECONDS);
            if (d == null) {
                return -1;
            }
            int n = Math.min(len, d.length);
            System.arraycopy(d, 0, buf, off, n);
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    @Override
    public void send(byte[] buf, int off, int len) {
        send.accept(Arrays.copyOfRange(buf, off, off + len));
    }

    @Override
    public void close() {
        // the shared socket stays open
    }
}

package io.beeperkeeper.telemetry;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The messages the broker delivered and the hub has not handled yet, bounded by count and by bytes (a
 * Pi's heap is small and a payload can be 256 KB). MQTT's thread only puts here and returns, so a flood
 * never stalls the connection; when the queue is full the put waits a moment (the broker then holds
 * QoS 1 messages for the hub) and only then drops, and every drop is counted.
 */
final class InboundQueue {
    /** One delivered message. */
    record Message(String topic, byte[] payload) {
    }

    private final int maxMessages;
    private final long maxBytes;
    private final ArrayDeque<Message> queue = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private long bytes;
    private long dropped;
    private boolean closed;

    InboundQueue(int maxMessages, long maxBytes) {
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    /** Queues a message, waiting up to {@code waitMillis} for room; false (and counted) if it was dropped. */
    boolean put(Message m, long waitMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        lock.lock();
        try {
            while (!closed && !queue.isEmpty() && (queue.size() >= maxMessages || bytes + m.payload().length > maxBytes)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    dropped++;
                    return false;
                }
                notFull.awaitNanos(left);
            }
            if (closed) {
                dropped++;
                return false;
            }
            queue.add(m);
            bytes += m.payload().length;
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The oldest message, waiting for one; null once closed. */
    Message take() throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty() && !closed) {
                notEmpty.await();
            }
            Message m = queue.poll();
            if (m != null) {
                bytes -= m.payload().length;
                notFull.signalAll();
            }
            return m;
        } finally {
            lock.unlock();
        }
    }

    void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    int capacity() {
        return maxMessages;
    }
}

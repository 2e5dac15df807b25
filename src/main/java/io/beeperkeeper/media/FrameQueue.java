package io.beeperkeeper.media;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * A bounded per-viewer queue between a {@link Stream} and a slow output (a WebSocket, a WebRTC
 * sender). When it is full the viewer has fallen behind: the queue drops everything queued and then
 * every frame until the next video keyframe, so the viewer never gets a broken GOP, memory stays
 * bounded, and the camera and other viewers are never slowed.
 *
 * <p>Readers either block in {@link #take} (a thread per viewer) or register an
 * {@link #onAvailable} callback and {@link #poll()} (async writers). Items are either a tracks change
 * (start over: new init segment) or a frame. The frames thrown away are told to a counter (the
 * stream's, for {@code /metrics}).
 */
public final class FrameQueue implements FrameConsumer {
    /** One queued item: exactly one of {@code tracks}, {@code frame} is non-null. */
    public record Item(Tracks tracks, Frame frame) {
    }

    private final int maxItems;
    private final long maxBytes;
    private final ArrayDeque<Item> items = new ArrayDeque<>();
    private long bytes;
    private boolean waitingForKeyframe = true;
    private boolean ended;
    private boolean recovering;
    private long skips;
    private final LongConsumer dropped;
    private volatile Runnable onAvailable = () -> { };

    public FrameQueue(int maxItems, long maxBytes) {
        this(maxItems, maxBytes, n -> { });
    }

    /** @param dropped told how many frames were thrown away each time the viewer falls behind */
    public FrameQueue(int maxItems, long maxBytes, LongConsumer dropped) {
        if (maxItems < 2 || maxBytes < 1) {
            throw new IllegalArgumentException("queue bounds too small");
        }
        this.maxItems = maxItems;
        this.maxBytes = maxBytes;
        this.dropped = dropped;
    }

    /** Called (on the publishing thread, outside the queue's lock) after something was queued. */
    public void onAvailable(Runnable callback) {
        this.onAvailable = callback;
    }

    @Override
    public void onTracks(Tracks tracks) {
        synchronized (this) {
            items.clear();
            bytes = 0;
            items.add(new Item(tracks, null));
            waitingForKeyframe = true;
            recovering = false;
            notifyAll();
        }
        onAvailable.run();
    }

    @Override
    public void onFrame(Frame frame) {
        long thrownAway = 0;
        synchronized (this) {
            if (ended) {
                return;
            }
            if (waitingForKeyframe) {
                if (!(frame.isVideo() && frame.keyframe())) {
                    if (recovering) {
                        dropped.accept(1);
                    }
                    return;
                }
                waitingForKeyframe = false;
                recovering = false;
            }
            if (items.size() >= maxItems || bytes + frame.size() > maxBytes) {
                // Too far behind: throw the backlog away and resume at the next keyframe.
                Item head = items.peekFirst();
                thrownAway = items.stream().filter(i -> i.frame() != null).count();
                items.clear();
                bytes = 0;
                if (head != null && head.tracks() != null) {
                    items.add(head); // the player still needs the init segment it has not seen
                }
                skips++;
                waitingForKeyframe = true;
                if (!(frame.isVideo() && frame.keyframe())) {
                    recovering = true;
                    dropped.accept(thrownAway + 1);
                    return;
                }
                waitingForKeyframe = false;
            }
            items.add(new Item(null, frame));
            bytes += frame.size();
            notifyAll();
        }
        if (thrownAway > 0) {
            dropped.accept(thrownAway);
        }
        onAvailable.run();
    }

    @Override
    public void onEnd() {
        synchronized (this) {
            ended = true;
            notifyAll();
        }
        onAvailable.run();
    }

    /** The next item, or null if none is queued now. */
    public synchronized Item poll() {
        Item item = items.pollFirst();
        if (item != null && item.frame() != null) {
            bytes -= item.frame().size();
        }
        return item;
    }

    /** The next item if it is a frame (not a tracks change), else null and the queue is unchanged. */
    public synchronized Item pollFrame() {
        Item head = items.peekFirst();
        return head != null && head.frame() != null ? poll() : null;
    }

    /** The next item, waiting up to the timeout; null on timeout or when ended and empty. */
    public synchronized Item take(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (items.isEmpty() && !ended) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return poll();
    }

    /** How many times this viewer fell behind and skipped to the next keyframe. */
    public synchronized long skips() {
        return skips;
    }

    public synchronized int size() {
        return items.size();
    }
}

package io.beeperkeeper.media;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * One camera's live media, fanned out to any number of outputs (MSE, LL-HLS, WebRTC, snapshots).
 *
 * <p>A camera source publishes {@link Tracks} and then {@link Frame}s; the stream keeps the current
 * GOP (every frame since the latest video keyframe, audio included, bounded in frames and bytes) so
 * that a new subscriber starts at once from the latest keyframe instead of waiting for the next one.
 * Subscribers are {@link FrameConsumer}s called synchronously on the publishing thread; they must not
 * block (see {@link FrameQueue} for the bounded, keyframe-skipping queue outputs use).
 *
 * <p>Thread safety: publish and subscribe are serialized on the stream, so a subscriber sees the GOP
 * replay and then live frames with nothing lost or repeated in between.
 */
public final class Stream {
    private static final Logger log = LoggerFactory.getLogger(Stream.class);
    /** Bounds on the GOP cache: a 2 s GOP at 30 fps with audio is ~200 frames, a few hundred kB. */
    static final int GOP_MAX_FRAMES = 1_000;
    static final long GOP_MAX_BYTES = 8L * 1024 * 1024;

    private final String name;
    private final List<FrameConsumer> consumers = new CopyOnWriteArrayList<>();
    private final List<Frame> gop = new ArrayList<>();
    private long gopBytes;
    private boolean gopValid;
    private Tracks tracks;
    private Frame lastVideoFrame;
    private long framesPublished;
    private final LongAdder framesDropped = new LongAdder();

    public Stream(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** The current tracks, or empty until the camera has sent its first keyframe with SPS/PPS. */
    public synchronized Optional<Tracks> tracks() {
        return Optional.ofNullable(tracks);
    }

    /** The cached GOP: the latest video keyframe and every frame after it (a copy). */
    public synchronized List<Frame> gop() {
        return gopValid ? List.copyOf(gop) : List.of();
    }

    public synchronized long framesPublished() {
        return framesPublished;
    }

    /** Frames the viewers' queues threw away because their viewer fell behind ({@link FrameQueue}). */
    public long framesDropped() {
        return framesDropped.sum();
    }

    /** Counts frames a viewer's queue of this stream threw away; any thread. */
    public void countDropped(long frames) {
        framesDropped.add(frames);
    }

    /** The latest video frame, or null; for health ("last frame n s ago"). */
    public synchronized Frame lastVideoFrame() {
        return lastVideoFrame;
    }

    /**
     * Subscribes: the consumer gets the tracks and the cached GOP now (if live), then live frames.
     * Close the returned subscription to stop.
     */
    public synchronized Subscription subscribe(FrameConsumer consumer) {
        if (tracks != null) {
            consumer.onTracks(tracks);
            if (gopValid) {
                for (Frame f : gop) {
                    consumer.onFrame(f);
                }
            }
        }
        consumers.add(consumer);
        return new Subscription(this, consumer);
    }

    void unsubscribe(FrameConsumer consumer) {
        if (consumers.remove(consumer)) {
            consumer.onEnd();
        }
    }

    /** Called by the source when (new) tracks are known; a no-op if they did not change. */
    public synchronized void publishTracks(Tracks newTracks) {
        if (newTracks.equals(tracks)) {
            return;
        }
        tracks = newTracks;
        gop.clear();
        gopBytes = 0;
        gopValid = false;
        for (FrameConsumer c : consumers) {
            deliver(c, () -> c.onTracks(newTracks));
        }
    }

    /** Called by the source for each frame, in time order, after {@link #publishTracks}. */
    public synchronized void publish(Frame frame) {
        if (tracks == null) {
            return;
        }
        framesPublished++;
        if (frame.isVideo()) {
            lastVideoFrame = frame;
            if (frame.keyframe()) {
                gop.clear();
                gopBytes = 0;
                gopValid = true;
            }
        }
        if (gopValid) {
            gop.add(frame);
            gopBytes += frame.size();
            if (gop.size() > GOP_MAX_FRAMES || gopBytes > GOP_MAX_BYTES) {
                // An endless GOP: stop caching until the next keyframe rather than grow without bound.
                gop.clear();
                gopBytes = 0;
                gopValid = false;
            }
        }
        for (FrameConsumer c : consumers) {
            deliver(c, () -> c.onFrame(frame));
        }
    }

    /**
     * The camera stopped (process exited or hung): forget the cached GOP so a viewer who connects
     * during the outage is not shown old pictures; it starts at the first keyframe after the restart.
     */
    public synchronized void interrupted() {
        gop.clear();
        gopBytes = 0;
        gopValid = false;
    }

    /** Ends every subscription (hub shutdown). */
    public void close() {
        for (FrameConsumer c : List.copyOf(consumers)) {
            unsubscribe(c);
        }
    }

    private void deliver(FrameConsumer c, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            // A broken output must not take the camera or other viewers down with it.
            log.warn("camera {}: dropping subscriber {} after error: {}", name, c, e.toString());
            consumers.remove(c);
        }
    }

    /** A live subscription; closing it is idempotent and calls {@link FrameConsumer#onEnd()}. */
    public static final class Subscription implements AutoCloseable {
        private final Stream stream;
        private final FrameConsumer consumer;

        private Subscription(Stream stream, FrameConsumer consumer) {
            this.stream = stream;
            this.consumer = consumer;
        }

        @Override
        public void close() {
            stream.unsubscribe(consumer);
        }
    }
}

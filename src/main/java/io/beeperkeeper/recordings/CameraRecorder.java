package io.beeperkeeper.recordings;

import io.beeperkeeper.feature.Threads;
import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.FrameConsumer;
import io.beeperkeeper.media.Tracks;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records one camera. On the camera's reader thread, and on the threads that trigger clips, it only
 * queues (bounded: when the disk falls behind, frames are dropped and counted, and the recorder goes
 * on from the next keyframe); its own thread hands each item to the camera's {@link ClipEvents},
 * which keeps the pre-roll and decides when clips start, split and end, so no camera or trigger ever
 * waits for the SD card.
 *
 * <p>The recorder's thread does not wake for each frame: it takes what has queued every
 * {@link #BATCH_MS} (a camera with sound queues about 65 items a second), which spares an idle hub
 * most of its wake-ups; the pre-roll and the clips do not need the frames sooner.
 */
final class CameraRecorder implements FrameConsumer {
    static final int QUEUE = 2_000;
    /** How often the recorder's thread takes what has queued; {@link ClipEvents#check} runs every second. */
    static final long BATCH_MS = 250;

    /** What becomes of a finished clip (the library lists it, retention runs). */
    interface Finished {
        void clip(Clip clip);
    }

    /** Whether the disk has room; {@code reserve} bytes must fit on top of the floor. */
    interface Room {
        boolean fits(long reserve);
    }

    private sealed interface Item permits FrameItem, TracksItem, TriggerItem, MotionItem {
    }

    private record FrameItem(Frame frame, boolean gap) implements Item {
    }

    private record TracksItem(Tracks tracks) implements Item {
    }

    private record TriggerItem(ClipKind kind, String why, long atMs, long untilMs) implements Item {
    }

    private record MotionItem(boolean on, long atMs) implements Item {
    }

    private final String camera;
    private final Clock clock;
    private final ClipEvents events;
    private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>(QUEUE);
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean gap;
    private volatile Tracks missedTracks;
    private volatile boolean running = true;
    private Thread thread;

    CameraRecorder(String camera, long preRollMs, long postRollMs, long maxClipMs, long preRollMaxBytes, Clock clock,
                   ClipLibrary library, Room room, Finished finished) {
        this.camera = camera;
        this.clock = clock;
        this.events = new ClipEvents(camera, preRollMs, postRollMs, maxClipMs, preRollMaxBytes, clock, library, room, finished);
    }

    void start() {
        thread = Threads.start("clips-" + camera, this::run);
    }

    String camera() {
        return camera;
    }

    // --- the camera's thread and the triggers' threads: queue only ---

    @Override
    public void onTracks(Tracks t) {
        if (!queue.offer(new TracksItem(t))) {
            missedTracks = t;
            lost();
        }
    }

    @Override
    public void onFrame(Frame f) {
        boolean g = gap;
        if (queue.offer(new FrameItem(f, g))) {
            if (g) {
                gap = false;
            }
        } else {
            lost();
        }
    }

    private void lost() {
        gap = true;
        dropped.incrementAndGet();
    }

    /**
     * Records from {@code preRoll} before {@code atMs} until {@code untilMs} (both epoch ms); extends
     * the event being recorded. False when the recorder cannot take it now (its queue is full).
     */
    boolean trigger(ClipKind kind, String why, long atMs, long untilMs) {
        return queue.offer(new TriggerItem(kind, why, atMs, untilMs));
    }

    /** Motion started ({@code on}) or ended at {@code atMs}. */
    boolean motion(boolean on, long atMs) {
        return queue.offer(new MotionItem(on, atMs));
    }

    // --- the recorder's thread ---

    private void run() {
        List<Item> batch = new ArrayList<>();
        while (running) {
            try {
                Thread.sleep(BATCH_MS);
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch);
            for (int i = 0; i < batch.size(); i++) {
                handle(batch.get(i), i + 1 < batch.size() || !queue.isEmpty());
            }
            batch.clear();
            if (!running) {
                break;
            }
            check(!queue.isEmpty());
        }
        events.endEvent(); // the hub is stopping: what was recorded is kept
    }

    private void handle(Item item, boolean more) {
        try {
            if (item instanceof FrameItem f) {
                if (f.gap()) {
                    Tracks t = missedTracks;
                    if (t != null) {
                        missedTracks = null;
                        events.tracks(t);
                    }
                    events.gap(); // frames are missing: go on from the next keyframe
                }
                events.frame(f.frame());
            } else if (item instanceof TracksItem t) {
                events.tracks(t.tracks());
            } else if (item instanceof TriggerItem t) {
                events.trigger(t.kind(), t.why(), t.atMs(), t.untilMs());
            } else if (item instanceof MotionItem m) {
                events.motion(m.on(), m.atMs());
            }
        } catch (RuntimeException e) {
            events.fail("recording " + camera + " failed: " + e);
        }
        check(more);
    }

    private void check(boolean framesWaiting) {
        try {
            events.check(clock.millis(), framesWaiting);
        } catch (RuntimeException e) {
            events.fail("recording " + camera + " failed: " + e);
        }
    }

    // --- figures, any thread ---

    boolean recording() {
        return events.recording();
    }

    String lastError() {
        return events.lastError();
    }

    long preRollBytes() {
        return events.preRollBytes();
    }

    double preRollSeconds() {
        return events.preRollSpanUs() / 1e6;
    }

    long dropped() {
        return dropped.get();
    }

    long written() {
        return events.written();
    }

    long clips() {
        return events.clips();
    }

    long refused() {
        return events.refused();
    }

    /** Stops the thread; the clip being recorded is finished first. */
    void close() {
        running = false;
        Thread t = thread;
        if (t != null) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

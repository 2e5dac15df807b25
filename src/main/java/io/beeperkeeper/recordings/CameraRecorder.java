package io.beeperkeeper.recordings;

import io.beeperkeeper.feature.Threads;
import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.FrameConsumer;
import io.beeperkeeper.media.Tracks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records one camera. On the camera's reader thread it only queues each frame (bounded: when the
 * disk falls behind, frames are dropped and counted, and the recorder goes on from the next
 * keyframe); its own thread keeps the {@link PreRoll} and runs the clip state machine:
 * <ul>
 *   <li>a trigger ({@link #trigger}: a click, an alert) starts an event at once from the pre-roll,
 *       written to the part file right away, and records until its end time; a later trigger
 *       during the event only moves the end;</li>
 *   <li>motion ({@link #motion}) holds the event open while it lasts, then it goes on for
 *       {@code postRoll};</li>
 *   <li>an event longer than {@code maxClip} is split at a keyframe: the split comes at the last
 *       keyframe that still fits (one GOP before the limit, by the camera's own keyframe spacing),
 *       so every part is at most {@code maxClip} long and on disk within that time of its start;
 *       the parts share the event id;</li>
 *   <li>new tracks (a camera restarted with other settings), lost frames or a silent camera end the
 *       current part; the event goes on in a new part from the next keyframe.</li>
 * </ul>
 * Before each clip and every second while writing it checks the free space: below
 * {@code minFreeBytes} (counting the room the finished MP4 still needs) it ends the clip and starts
 * none until there is room again.
 */
final class CameraRecorder implements FrameConsumer {
    private static final Logger log = LoggerFactory.getLogger(CameraRecorder.class);
    static final int QUEUE = 2_000;
    /** Without a frame for this long the camera is taken as gone and the clip is closed. */
    static final long SILENT_MS = 10_000;
    /**
     * The pre-roll reaches back this much further than asked: motion is told a second or two after it
     * began ({@code motion.minSeconds} and the detector's own delay), and its clip starts
     * {@code preRollSeconds} before the motion did.
     */
    static final long LATE_TRIGGER_MS = 3_000;
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmssSSS").withZone(ZoneOffset.UTC);

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

    /** The event being recorded; touched by the recorder's thread only. */
    private static final class Event {
        final String id;
        final ClipKind kind;
        final String why;
        final long triggerMs;
        long untilMs;
        boolean held;
        int part;
        ClipWriter writer;
        String clipId;
        long firstByteMs;

        Event(String id, ClipKind kind, String why, long triggerMs, long untilMs) {
            this.id = id;
            this.kind = kind;
            this.why = why;
            this.triggerMs = triggerMs;
            this.untilMs = untilMs;
        }
    }

    private final String camera;
    private final long preRollMs;
    private final long postRollMs;
    private final long maxClipUs;
    private final Clock clock;
    private final ClipLibrary library;
    private final Room room;
    private final Finished finished;
    private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>(QUEUE);
    private final PreRoll preRoll;
    private volatile boolean gap;
    private volatile Tracks missedTracks;
    private volatile boolean running = true;
    private volatile String lastError = "";
    private volatile boolean recording;
    private volatile long preRollBytes;
    private volatile long preRollSpanUs;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong clips = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private Thread thread;

    // the recorder thread's own state
    private Tracks tracks;
    private Event event;
    private String lastEventId = "";
    private long lastKeyUs = Long.MIN_VALUE;
    private long gopUs;
    private long lastFrameMs;
    private long lastCheckMs;

    CameraRecorder(String camera, long preRollMs, long postRollMs, long maxClipMs, long preRollMaxBytes, Clock clock,
                   ClipLibrary library, Room room, Finished finished) {
        this.camera = camera;
        this.preRollMs = preRollMs;
        this.postRollMs = postRollMs;
        this.maxClipUs = maxClipMs * 1000;
        this.clock = clock;
        this.library = library;
        this.room = room;
        this.finished = finished;
        this.preRoll = new PreRoll((preRollMs + LATE_TRIGGER_MS) * 1000, preRollMaxBytes);
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
        while (running) {
            Item item;
            try {
                item = queue.poll(250, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            try {
                if (item instanceof FrameItem f) {
                    frame(f.frame(), f.gap());
                } else if (item instanceof TracksItem t) {
                    tracks(t.tracks());
                } else if (item instanceof TriggerItem t) {
                    trigger(t);
                } else if (item instanceof MotionItem m) {
                    motion(m);
                }
                check(clock.millis());
            } catch (RuntimeException e) {
                fail("recording " + camera + " failed: " + e, e);
            }
        }
        if (event != null) {
            endEvent(); // the hub is stopping: what was recorded is kept
        }
    }

    private void tracks(Tracks t) {
        if (t.equals(tracks)) {
            return;
        }
        tracks = t;
        preRoll.clear();
        lastKeyUs = Long.MIN_VALUE;
        endPart();
    }

    private void frame(Frame f, boolean gapBefore) {
        if (gapBefore) {
            Tracks t = missedTracks;
            if (t != null) {
                missedTracks = null;
                tracks(t);
            }
            preRoll.clear();
            endPart(); // frames are missing: go on from the next keyframe
        }
        if (tracks == null) {
            return;
        }
        lastFrameMs = f.receivedAtMs();
        preRoll.add(f);
        preRollBytes = preRoll.bytes();
        preRollSpanUs = preRoll.spanUs();
        if (f.isVideo() && f.keyframe()) {
            if (lastKeyUs != Long.MIN_VALUE && f.timeUs() > lastKeyUs) {
                gopUs = f.timeUs() - lastKeyUs;
            }
            lastKeyUs = f.timeUs();
        }
        Event e = event;
        if (e == null) {
            return;
        }
        if (f.isVideo()) {
            if (!e.held && f.receivedAtMs() >= e.untilMs) {
                endEvent();
                return;
            }
            if (e.writer == null) {
                if (f.keyframe()) {
                    startPart(List.of(f));
                }
                return;
            }
            if (f.keyframe() && f.timeUs() - e.writer.firstVideoUs() + gopUs > maxClipUs) {
                endPart();
                startPart(List.of(f));
                return;
            }
        }
        if (e.writer != null) {
            write(f);
        }
    }

    private void trigger(TriggerItem t) {
        if (event != null) {
            event.untilMs = Math.max(event.untilMs, t.untilMs());
            return;
        }
        if (!room.fits(preRoll.bytes() * 2)) {
            refused.incrementAndGet();
            log.warn("clips: not recording {} ({}): the disk is below recordings.minFreeBytes", camera, t.why());
            return;
        }
        String id = camera + "-" + ID_TIME.format(Instant.ofEpochMilli(t.atMs()));
        for (long ms = t.atMs() + 1; id.equals(lastEventId) || Files.exists(library.part(camera, id + "-1")); ms++) {
            id = camera + "-" + ID_TIME.format(Instant.ofEpochMilli(ms));
        }
        lastEventId = id;
        event = new Event(id, t.kind(), t.why(), t.atMs(), t.untilMs());
        if (tracks != null) {
            List<Frame> from = preRoll.from(t.atMs() - preRollMs);
            if (!from.isEmpty()) {
                startPart(from);
            }
        }
    }

    private void motion(MotionItem m) {
        if (m.on()) {
            if (event == null) {
                trigger(new TriggerItem(ClipKind.MOTION, "motion", m.atMs(), m.atMs() + postRollMs));
            }
            if (event != null) {
                event.held = true;
            }
        } else if (event != null) {
            event.held = false;
            event.untilMs = Math.max(event.untilMs, m.atMs() + postRollMs);
        }
    }

    private void startPart(List<Frame> frames) {
        Event e = event;
        e.part++;
        e.clipId = e.id + "-" + e.part;
        try {
            Files.createDirectories(library.folder(camera));
            e.writer = new ClipWriter(library.part(camera, e.clipId), tracks);
            for (Frame f : frames) {
                e.writer.add(f);
            }
            e.writer.flush();
            written.addAndGet(e.writer.bytes());
            if (e.part == 1) {
                e.firstByteMs = clock.millis();
            }
            recording = true;
        } catch (IOException ex) {
            fail("cannot write " + camera + "'s clip in " + library.folder(camera) + ": " + ex.getMessage()
                    + "; free space on the disk or choose another data.dir", ex);
            abandon();
        }
    }

    private void write(Frame f) {
        Event e = event;
        long before = e.writer.bytes();
        try {
            e.writer.add(f);
            written.addAndGet(e.writer.bytes() - before);
        } catch (IOException ex) {
            fail("cannot write " + camera + "'s clip: " + ex.getMessage() + "; free space on the disk or choose another data.dir", ex);
            abandon();
        }
    }

    /** Every second: flush to disk, check the floor, close clips of a camera that went silent. */
    private void check(long now) {
        if (now - lastCheckMs < 1000) {
            return;
        }
        lastCheckMs = now;
        Event e = event;
        if (e == null) {
            return;
        }
        if (e.writer != null) {
            try {
                e.writer.flush();
            } catch (IOException ex) {
                fail("cannot write " + camera + "'s clip: " + ex.getMessage(), ex);
                abandon();
                return;
            }
            if (!room.fits(e.writer.bytes())) {
                refused.incrementAndGet();
                log.warn("clips: {}'s clip ends early: the disk is below recordings.minFreeBytes", camera);
                endEvent();
                return;
            }
            if (now - lastFrameMs > SILENT_MS) {
                endPart(); // the camera is gone; the event goes on from its next keyframe if it still lasts
            }
        }
        if (!e.held && now >= e.untilMs + 2_000 && (e.writer == null || now - lastFrameMs > 2_000)) {
            endEvent(); // no frame came to end it
        }
    }

    private void endPart() {
        Event e = event;
        if (e == null || e.writer == null) {
            return;
        }
        ClipWriter w = e.writer;
        e.writer = null;
        recording = false;
        if (w.videoFrames() == 0) {
            w.close();
            return;
        }
        Clip partial = new Clip(e.clipId, camera, e.kind, e.id, e.part, w.firstVideoWallMs(), w.durationUs() / 1000, e.triggerMs,
                e.firstByteMs, 0, w.videoFrames(), tracks.video().width(), tracks.video().height(), w.hasAudio(), e.why);
        try {
            long size = w.finish(library.mp4(partial));
            written.addAndGet(size);
            Clip c = new Clip(partial.id(), camera, e.kind, e.id, e.part, partial.startMs(), partial.durationMs(), e.triggerMs,
                    e.firstByteMs, size, partial.frames(), partial.width(), partial.height(), partial.audio(), e.why);
            library.add(c);
            clips.incrementAndGet();
            lastError = "";
            finished.clip(c);
        } catch (IOException | RuntimeException ex) {
            w.close();
            fail("cannot finish " + camera + "'s clip " + e.clipId + ": " + ex.getMessage() + "; free space on the disk", ex);
        }
    }

    private void endEvent() {
        endPart();
        event = null;
    }

    private void abandon() {
        Event e = event;
        if (e != null && e.writer != null) {
            e.writer.close();
            e.writer = null;
        }
        event = null;
        recording = false;
    }

    private void fail(String message, Exception e) {
        String was = lastError;
        lastError = message;
        if (!message.equals(was)) {
            log.warn("clips: {}", message);
        }
    }

    // --- figures, any thread ---

    boolean recording() {
        return recording;
    }

    String lastError() {
        return lastError;
    }

    long preRollBytes() {
        return preRollBytes;
    }

    double preRollSeconds() {
        return preRollSpanUs / 1e6;
    }

    long dropped() {
        return dropped.get();
    }

    long written() {
        return written.get();
    }

    long clips() {
        return clips.get();
    }

    long refused() {
        return refused.get();
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

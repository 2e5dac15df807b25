package io.beeperkeeper.recordings;

import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.Tracks;
import io.beeperkeeper.media.mp4.Mp4Movie;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One camera's clip state, run on its {@link CameraRecorder}'s thread: it keeps the {@link PreRoll}
 * and decides when a clip starts, is split and ends, handing the frames to a {@link ClipWriter}:
 * <ul>
 *   <li>a trigger (a click, an alert) starts an event at once from the pre-roll, written to the
 *       clip's samples file right away, and records until its end time; a later trigger during the
 *       event only moves the end;</li>
 *   <li>motion holds the event open while it lasts, then it goes on for {@code postRoll};</li>
 *   <li>an event longer than {@code maxClip} is split at a keyframe: the split comes at the last
 *       keyframe that still fits (the longest recent keyframe spacing before the limit:
 *       keyframes come late on a busy machine),
 *       so every part is at most {@code maxClip} long and on disk within that time of its start;
 *       the parts share the event id;</li>
 *   <li>new tracks (a camera restarted with other settings), lost frames or a silent camera end the
 *       current part; the event goes on in a new part from the next keyframe.</li>
 * </ul>
 * Before each clip and every second while writing it checks the free space: below
 * {@code minFreeBytes} (counting the room the clip's header still needs) it ends the clip and starts
 * none until there is room again. Its figures are read from any thread.
 */
final class ClipEvents {
    private static final Logger log = LoggerFactory.getLogger(ClipEvents.class);
    /** Without a frame for this long the camera is taken as gone and the clip is closed. */
    static final long SILENT_MS = 10_000;
    /**
     * The pre-roll reaches back this much further than asked: motion is told a second or two after it
     * began ({@code motion.minSeconds} and the detector's own delay), and its clip starts
     * {@code preRollSeconds} before the motion did.
     */
    static final long LATE_TRIGGER_MS = 3_000;
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmssSSS").withZone(ZoneOffset.UTC);

    /** The event being recorded. */
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
    private final CameraRecorder.Room room;
    private final CameraRecorder.Finished finished;
    private final PreRoll preRoll;
    private Tracks tracks;
    private Event event;
    private String lastEventId = "";
    private long lastKeyUs = Long.MIN_VALUE;
    private long gopUs;
    private long lastFrameMs;
    private long lastCheckMs;

    private volatile String lastError = "";
    private volatile boolean recording;
    private volatile long preRollBytes;
    private volatile long preRollSpanUs;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong clips = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    ClipEvents(String camera, long preRollMs, long postRollMs, long maxClipMs, long preRollMaxBytes, Clock clock,
               ClipLibrary library, CameraRecorder.Room room, CameraRecorder.Finished finished) {
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

    void tracks(Tracks t) {
        if (t.equals(tracks)) {
            return;
        }
        tracks = t;
        preRoll.clear();
        lastKeyUs = Long.MIN_VALUE;
        endPart();
    }

    /** Frames are missing before the next one: the pre-roll and the part start again from a keyframe. */
    void gap() {
        preRoll.clear();
        endPart();
    }

    void frame(Frame f) {
        if (tracks == null) {
            return;
        }
        lastFrameMs = f.receivedAtMs();
        preRoll.add(f);
        preRollBytes = preRoll.bytes();
        preRollSpanUs = preRoll.spanUs();
        if (f.isVideo() && f.keyframe()) {
            if (lastKeyUs != Long.MIN_VALUE && f.timeUs() > lastKeyUs) {
                // the longest recent keyframe spacing, slowly forgotten: a camera's keyframes come
                // late by a frame or two on a busy machine, and a part must still fit maxClip
                gopUs = Math.max(f.timeUs() - lastKeyUs, gopUs - gopUs / 16);
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
            if (splitsAt(f)) {
                endPart();
                startPart(List.of(f));
                return;
            }
        }
        if (e.writer != null) {
            write(f);
        }
    }

    /** Whether the part being written ends before keyframe {@code f}, so that it stays within maxClip. */
    private boolean splitsAt(Frame f) {
        return f.isVideo() && f.keyframe() && f.timeUs() - event.writer.firstVideoUs() + gopUs > maxClipUs;
    }

    /** Records from the pre-roll before {@code atMs} until {@code untilMs} (epoch ms); extends the event being recorded. */
    void trigger(ClipKind kind, String why, long atMs, long untilMs) {
        if (event != null) {
            event.untilMs = Math.max(event.untilMs, untilMs);
            return;
        }
        if (!room.fits(preRoll.bytes() + 2_048)) {
            refused.incrementAndGet();
            log.warn("clips: not recording {} ({}): the disk is below recordings.minFreeBytes", camera, why);
            return;
        }
        String id = camera + "-" + ID_TIME.format(Instant.ofEpochMilli(atMs));
        for (long ms = atMs + 1; id.equals(lastEventId) || Files.exists(library.samples(camera, id + "-1")); ms++) {
            id = camera + "-" + ID_TIME.format(Instant.ofEpochMilli(ms));
        }
        lastEventId = id;
        event = new Event(id, kind, why, atMs, untilMs);
        if (tracks != null) {
            List<Frame> from = preRoll.from(atMs - preRollMs);
            if (!from.isEmpty()) {
                startFromPreRoll(from);
            }
        }
    }

    /** Motion started ({@code on}) or ended at {@code atMs}. */
    void motion(boolean on, long atMs) {
        if (on) {
            if (event == null) {
                trigger(ClipKind.MOTION, "motion", atMs, atMs + postRollMs);
            }
            if (event != null) {
                event.held = true;
            }
        } else if (event != null) {
            event.held = false;
            event.untilMs = Math.max(event.untilMs, atMs + postRollMs);
        }
    }

    /**
     * Writes the pre-roll into the event's first part. A trigger told late (motion is reported seconds
     * after it began, later still on a busy machine) can find more than {@code maxClip} between its
     * pre-roll start and the newest frame; that is split at keyframes like live frames are.
     */
    private void startFromPreRoll(List<Frame> frames) {
        int next = 1;
        while (next < frames.size() && !(frames.get(next).isVideo() && frames.get(next).keyframe())) {
            next++;
        }
        startPart(frames.subList(0, next));
        for (Frame f : frames.subList(next, frames.size())) {
            if (event == null || event.writer == null) {
                return; // the part could not be written; the failure is reported
            }
            if (splitsAt(f)) {
                endPart();
                startPart(List.of(f));
            } else {
                write(f);
            }
        }
        if (event != null && event.writer != null) {
            try {
                event.writer.flush();
            } catch (IOException ex) {
                fail("cannot write " + camera + "'s clip: " + ex.getMessage() + "; free space on the disk or choose another data.dir");
                abandon();
            }
        }
    }

    private void startPart(List<Frame> frames) {
        Event e = event;
        e.part++;
        e.clipId = e.id + "-" + e.part;
        try {
            Files.createDirectories(library.folder(camera));
            e.writer = new ClipWriter(library.samples(camera, e.clipId), tracks);
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
                    + "; free space on the disk or choose another data.dir");
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
            fail("cannot write " + camera + "'s clip: " + ex.getMessage() + "; free space on the disk or choose another data.dir");
            abandon();
        }
    }

    /**
     * Every second: flush to disk, check the floor, close clips of a camera that went silent. While
     * frames still wait in the recorder's queue the camera is not silent, only the disk is slow, so
     * nothing is closed for want of frames then.
     */
    void check(long now, boolean framesWaiting) {
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
                fail("cannot write " + camera + "'s clip: " + ex.getMessage());
                abandon();
                return;
            }
            if (!room.fits(e.writer.headerBytes())) {
                refused.incrementAndGet();
                log.warn("clips: {}'s clip ends early: the disk is below recordings.minFreeBytes", camera);
                endEvent();
                return;
            }
            if (!framesWaiting && now - lastFrameMs > SILENT_MS) {
                endPart(); // the camera is gone; the event goes on from its next keyframe if it still lasts
            }
        }
        if (!framesWaiting && !e.held && now >= e.untilMs + 2_000 && (e.writer == null || now - lastFrameMs > 2_000)) {
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
        try {
            Mp4Movie movie = w.finish(library.head(camera, e.clipId));
            written.addAndGet(movie.size() - w.bytes());
            Clip c = new Clip(e.clipId, camera, e.kind, e.id, e.part, w.firstVideoWallMs(), w.durationUs() / 1000, e.triggerMs,
                    e.firstByteMs, movie.size(), w.videoFrames(), tracks.video().width(), tracks.video().height(), w.hasAudio(), e.why);
            library.add(c);
            clips.incrementAndGet();
            lastError = "";
            finished.clip(c);
        } catch (IOException | RuntimeException ex) {
            w.close();
            try {
                Files.deleteIfExists(library.head(camera, e.clipId));
                Files.deleteIfExists(library.samples(camera, e.clipId));
            } catch (IOException left) {
                // a clip without its sidecar is deleted at the next start
            }
            fail("cannot finish " + camera + "'s clip " + e.clipId + ": " + ex.getMessage() + "; free space on the disk");
        }
    }

    /** Ends the event and its clip (what was recorded is kept). */
    void endEvent() {
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

    void fail(String message) {
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

    long preRollSpanUs() {
        return preRollSpanUs;
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
}

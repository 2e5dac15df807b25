package io.beeperkeeper.media.hls;

import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.FrameConsumer;
import io.beeperkeeper.media.MediaKind;
import io.beeperkeeper.media.Tracks;
import io.beeperkeeper.media.mp4.Fmp4Muxer;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Low-Latency HLS for one camera (RFC 8216bis with the LL-HLS extensions): fMP4 segments that start
 * at keyframes, cut into parts of about {@link #PART_SECONDS} (whole video frames: one at 15 fps, two
 * at 30; each part published the moment its last frame arrives),
 * announced with {@code EXT-X-PART} and {@code EXT-X-PRELOAD-HINT}, and blocking playlist reloads
 * ({@code _HLS_msn}/{@code _HLS_part}). Plain HLS clients ignore the low-latency tags and play the
 * whole segments.
 *
 * <p>Made to be served through a CDN's cache: every media sequence number and init segment name is
 * used once for all time (numbers start from the wall clock in hundredths of a second, so a restarted
 * hub never reuses a name a cache may still hold), so a part, a segment or an init segment never
 * changes once it exists and may be cached for good.
 *
 * <p>It is a {@link FrameConsumer}: the camera thread muxes each frame once into the open part (a
 * few microseconds); requests wait on futures completed by a small executor, never on the camera
 * thread. Memory is bounded: the playlist lists the last {@link #LISTED_SEGMENTS} segments and the open
 * one, and a segment stays served for {@link #RETAINED_SEGMENTS} more after it leaves the playlist
 * (RFC 8216 6.2.2: a slow or loaded client may fetch what the playlist it holds still names).
 */
public final class LlHlsStream implements FrameConsumer {
    /** Nominal part length; a part holds whole video frames, at least one. */
    public static final double PART_SECONDS = 0.05;
    static final int LISTED_SEGMENTS = 4;
    /** A playlist's worth and one more segment: how long a client may hold a playlist and still fetch from it. */
    static final int RETAINED_SEGMENTS = LISTED_SEGMENTS + 1;
    static final int PARTS_LISTED_SEGMENTS = 2;

    private final Executor completer;
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private Fmp4Muxer muxer;
    private byte[] init;
    private long initVersion;
    private Segment current;
    /** The open part; kept across parts so it grows once, not for every part. */
    private final ByteArrayOutputStream partBuf = new ByteArrayOutputStream(32 * 1024);
    private long partStartUs;
    private boolean partIndependent;
    private long nextMsn;
    private int framesPerPart = 1;
    private int partFrames;
    private double partTarget = PART_SECONDS;
    /** A keyframe more than this late jumps to its arrival time; the other pictures only slew towards it. */
    static final long VIDEO_JUMP_US = 100_000;
    /**
     * Sound more than this late (its source paused, or the camera re-anchored its sound to arrival) gets
     * filler packets up to its arrival instead of a hole; less is slewed. A hole in the sound is a hole in
     * the player's buffered range (the intersection of both tracks): the browser stalls there, and with
     * sound it resumes only after buffering more than the picture needs, so each hole left the camera with
     * sound further behind the one without.
     */
    static final long AUDIO_FILL_US = 100_000;
    private final SmoothedTimeline videoTime = new SmoothedTimeline(VIDEO_JUMP_US);
    private final SmoothedTimeline audioTime = new SmoothedTimeline(Long.MAX_VALUE);
    private AudioFiller audioFiller = AudioFiller.NONE;

    private static final class Segment {
        final long msn;
        /** The segment is its parts one after the other; put together only when a client asks for it. */
        final List<Part> parts = new ArrayList<>();
        double duration;
        boolean complete;
        final boolean discontinuity;

        Segment(long msn, boolean discontinuity) {
            this.msn = msn;
            this.discontinuity = discontinuity;
        }
    }

    private record Part(byte[] data, double duration, boolean independent) {
    }

    private record Waiter(long msn, int part, CompletableFuture<Void> future) {
    }

    /**
     * @param firstMsn the first media sequence number; give one no earlier run of the hub used (the
     *                 wall clock in hundredths of a second), since caches key parts and segments by it
     */
    public LlHlsStream(Executor completer, long firstMsn) {
        this.completer = completer;
        this.nextMsn = firstMsn;
    }

    /** A first media sequence number no earlier run used: the wall clock in hundredths of a second. */
    public static long firstMsn(java.time.Clock clock) {
        return clock.millis() / 10;
    }

    @Override
    public void onTracks(Tracks tracks) {
        List<Waiter> ready;
        synchronized (this) {
            muxer = new Fmp4Muxer(tracks);
            init = muxer.initSegment();
            initVersion = nextMsn++; // a name never used before, like the segments'
            double fps = tracks.video().fps() > 0 ? tracks.video().fps() : 15;
            framesPerPart = Math.max(1, (int) Math.round(PART_SECONDS * fps));
            // a part's frames plus the usual jitter of their arrival stamps
            partTarget = Math.ceil((framesPerPart / fps) * 1.2 * 1000) / 1000;
            segments.clear();
            current = null;
            videoTime.reset();
            audioTime.reset();
            audioFiller = tracks.audio().map(AudioFiller::new).orElse(AudioFiller.NONE);
            partBuf.reset();
            ready = readyWaiters();
        }
        release(ready);
    }

    @Override
    public void onFrame(Frame arrived) {
        List<Waiter> ready;
        synchronized (this) {
            if (muxer == null) {
                return;
            }
            if (current == null && !(arrived.isVideo() && arrived.keyframe())) {
                return; // wait for the first keyframe
            }
            if (!arrived.isVideo()) {
                fillSoundGap(arrived);
            }
            Frame f = smoothed(arrived);
            if (f.isVideo() && f.keyframe()) {
                if (current != null) {
                    if (partFrames > 0) {
                        closePart(f.timeUs());
                    }
                    current.complete = true;
                }
                // Sound that came after the segment's last picture opens the next segment (its part
                // buffer is kept): a segment starts with its keyframe's part, independent.
                current = new Segment(nextMsn++, false);
                segments.addLast(current);
                while (segments.size() > LISTED_SEGMENTS + 1 + RETAINED_SEGMENTS) {
                    segments.removeFirst();
                }
                partStartUs = f.timeUs();
                partIndependent = true;
                partFrames = 0;
            }
            muxer.fragment(f, partBuf);
            if (f.isVideo() && ++partFrames >= framesPerPart) {
                // Published at once, not when the next frame comes: a viewer waiting on the preload hint
                // gets the picture a frame interval sooner. The part lasts until its last frame's
                // nominal end, so the parts of a segment add up to its pictures' span.
                long endUs = f.timeUs() + f.durationUs();
                closePart(endUs);
                partStartUs = Math.max(partStartUs, endUs);
                partIndependent = false;
                partFrames = 0;
            }
            ready = readyWaiters();
        }
        release(ready);
    }

    /** The frame on this stream's smoothed timeline of its track (see {@link SmoothedTimeline}). */
    private Frame smoothed(Frame f) {
        long t = f.isVideo() ? videoTime.stamp(f.timeUs(), f.durationUs(), f.keyframe())
                : audioTime.stamp(f.timeUs(), f.durationUs(), true);
        return t == f.timeUs() ? f : new Frame(f.kind(), t, f.durationUs(), f.keyframe(), f.units(), f.receivedAtMs());
    }

    /** Filler packets from where the sound's timeline ends up to this packet, when it comes more than {@link #AUDIO_FILL_US} after that. */
    private void fillSoundGap(Frame packet) {
        long gap = audioTime.behind(packet.timeUs());
        long d = packet.durationUs();
        byte[] fill = audioFiller.filler();
        if (gap <= AUDIO_FILL_US || d <= 0 || fill.length == 0) {
            audioFiller.follow(packet);
            return;
        }
        for (long n = gap / d; n > 0; n--) {
            long t = audioTime.stamp(audioTime.next(), d, false);
            muxer.fragment(new Frame(MediaKind.AUDIO, t, d, true, List.of(fill), packet.receivedAtMs()), partBuf);
        }
        audioFiller.follow(packet);
    }

    private void closePart(long endUs) {
        if (partBuf.size() == 0) {
            return;
        }
        double duration = Math.max(0.001, (endUs - partStartUs) / 1e6);
        byte[] data = partBuf.toByteArray();
        current.parts.add(new Part(data, duration, partIndependent));
        current.duration += duration;
        partBuf.reset();
    }

    /** The current init segment (the playlist names it init-&lt;version&gt;.mp4). */
    public synchronized Optional<byte[]> init() {
        return Optional.ofNullable(init);
    }

    /** The init segment of that version, or empty if it is not the current one (names never change meaning). */
    public synchronized Optional<byte[]> init(long version) {
        return version == initVersion ? Optional.ofNullable(init) : Optional.empty();
    }

    public synchronized Optional<byte[]> segment(long msn) {
        for (Segment s : segments) {
            if (s.msn == msn && s.complete) {
                return Optional.of(joined(s.parts));
            }
        }
        return Optional.empty();
    }

    private static byte[] joined(List<Part> parts) {
        int size = 0;
        for (Part p : parts) {
            size += p.data().length;
        }
        byte[] all = new byte[size];
        int at = 0;
        for (Part p : parts) {
            System.arraycopy(p.data(), 0, all, at, p.data().length);
            at += p.data().length;
        }
        return all;
    }

    public synchronized Optional<byte[]> part(long msn, int index) {
        for (Segment s : segments) {
            if (s.msn == msn && index < s.parts.size()) {
                return Optional.of(s.parts.get(index).data());
            }
        }
        return Optional.empty();
    }

    /**
     * Completes when the playlist contains part {@code part} of segment {@code msn} (or the whole
     * segment when part is -1), at once if it already does.
     */
    public CompletableFuture<Void> await(long msn, int part) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        synchronized (this) {
            if (has(msn, part)) {
                f.complete(null);
            } else {
                waiters.add(new Waiter(msn, part, f));
            }
        }
        return f;
    }

    /** Whether the playlist holds part {@code part} of segment {@code msn} (the whole segment when -1), or a later one. */
    public synchronized boolean contains(long msn, int part) {
        return has(msn, part);
    }

    /** Whether a blocking request for this position may wait: it is at most two segments ahead. */
    public synchronized boolean reachable(long msn) {
        return msn <= nextMsn + 1;
    }

    /** Drops waiters whose futures were completed elsewhere (timeouts). */
    public synchronized void forgetDone() {
        waiters.removeIf(w -> w.future.isDone());
    }

    private boolean has(long msn, int part) {
        for (Segment s : segments) {
            if (s.msn == msn) {
                return part < 0 ? s.complete : part < s.parts.size() || s.complete;
            }
            if (s.msn > msn) {
                return true;
            }
        }
        return !segments.isEmpty() && segments.peekFirst().msn > msn;
    }

    private List<Waiter> readyWaiters() {
        List<Waiter> ready = new ArrayList<>();
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (w.future.isDone() || has(w.msn, w.part)) {
                ready.add(w);
                it.remove();
            }
        }
        return ready;
    }

    private void release(List<Waiter> ready) {
        for (Waiter w : ready) {
            completer.execute(() -> w.future.complete(null));
        }
    }

    public synchronized int waiting() {
        return waiters.size();
    }

    /** The media playlist, or empty before the first keyframe. */
    public synchronized Optional<String> playlist() {
        if (init == null || segments.isEmpty()) {
            return Optional.empty();
        }
        List<Segment> listed = new ArrayList<>(segments);
        listed = listed.subList(Math.max(0, listed.size() - (LISTED_SEGMENTS + 1)), listed.size());
        double maxSeg = 1;
        for (Segment s : listed) {
            if (s.complete) {
                maxSeg = Math.max(maxSeg, s.duration);
            }
        }
        StringBuilder b = new StringBuilder(2048);
        b.append("#EXTM3U\n#EXT-X-VERSION:9\n");
        // RFC 8216 4.4.3.1: each EXTINF rounded to the nearest integer is at most the target; a 2.0004 s
        // segment stays a target of 2 (hls.js caps its stall allowance and live range at the target).
        b.append("#EXT-X-TARGETDURATION:").append(Math.max(1, Math.round(maxSeg))).append('\n');
        // PART-HOLD-BACK: the three part durations the spec asks as the least a player stays behind
        b.append("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=").append(fmt(partTarget * 3)).append('\n');
        b.append("#EXT-X-PART-INF:PART-TARGET=").append(fmt(partTarget)).append('\n');
        b.append("#EXT-X-MEDIA-SEQUENCE:").append(listed.get(0).msn).append('\n');
        b.append("#EXT-X-MAP:URI=\"hls/init-").append(initVersion).append(".mp4\"\n");
        int index = 0;
        int total = listed.size();
        for (Segment s : listed) {
            boolean withParts = index++ >= total - 1 - PARTS_LISTED_SEGMENTS;
            if (withParts) {
                for (int i = 0; i < s.parts.size(); i++) {
                    Part p = s.parts.get(i);
                    b.append("#EXT-X-PART:DURATION=").append(fmt(p.duration())).append(",URI=\"hls/part/")
                            .append(s.msn).append('.').append(i).append(".m4s\"")
                            .append(p.independent() ? ",INDEPENDENT=YES" : "").append('\n');
                }
            }
            if (s.complete) {
                b.append("#EXTINF:").append(fmt(s.duration)).append(",\nhls/seg/").append(s.msn).append(".m4s\n");
            }
        }
        Segment last = segments.peekLast();
        b.append("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"hls/part/").append(last.msn).append('.').append(last.parts.size())
                .append(".m4s\"\n");
        return Optional.of(b.toString());
    }

    /** The position a preload-hinted part request should wait for, or empty if it exists or is stale. */
    public synchronized boolean isFuturePart(long msn, int index) {
        Segment last = segments.peekLast();
        return last != null && ((msn == last.msn && index >= last.parts.size()) || (msn == last.msn + 1 && index == 0));
    }

    /** Whether part {@code index} of segment {@code msn} will never exist: the segment ended with fewer parts. */
    public synchronized boolean neverPart(long msn, int index) {
        for (Segment s : segments) {
            if (s.msn == msn) {
                return s.complete && index >= s.parts.size();
            }
        }
        return false;
    }

    /** The part target duration the playlist announces, in seconds. */
    public synchronized double partTarget() {
        return partTarget;
    }

    public synchronized long initVersion() {
        return initVersion;
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.3f", d);
    }
}

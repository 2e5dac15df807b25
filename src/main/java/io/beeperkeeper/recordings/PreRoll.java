package io.beeperkeeper.recordings;

import io.beeperkeeper.media.Frame;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last seconds of one camera, whole GOPs as the camera encoded them (video access units and
 * audio packets, never decoded), so a clip can start before its trigger. It always starts at a
 * keyframe and holds at least {@code preRollUs} of stream time when the camera has sent that much:
 * a GOP is dropped from the front only once the next GOP alone still reaches back far enough. So it
 * holds the pre-roll plus at most one GOP (5 s + a 2 s GOP of a 640x480 camera at ~1 Mbit/s is
 * about 0.9 MB); {@code maxBytes} caps it whatever the camera sends (oldest GOPs go first; a
 * single GOP larger than that is not kept). Used by one thread only.
 */
final class PreRoll {
    private record Gop(List<Frame> frames, long startUs, long startWallMs) {
    }

    private final long preRollUs;
    private final long maxBytes;
    private final Deque<Gop> gops = new ArrayDeque<>();
    private final Deque<Long> gopBytes = new ArrayDeque<>();
    private long bytes;
    private int frames;
    private long newestUs;

    PreRoll(long preRollUs, long maxBytes) {
        this.preRollUs = preRollUs;
        this.maxBytes = maxBytes;
    }

    void add(Frame f) {
        if (f.isVideo() && f.keyframe()) {
            gops.addLast(new Gop(new ArrayList<>(), f.timeUs(), f.receivedAtMs()));
            gopBytes.addLast(0L);
        }
        if (gops.isEmpty()) {
            return; // waiting for the first keyframe
        }
        gops.peekLast().frames().add(f);
        gopBytes.addLast(gopBytes.pollLast() + f.size());
        bytes += f.size();
        frames++;
        newestUs = Math.max(newestUs, f.timeUs());
        trim();
    }

    private void trim() {
        while (gops.size() >= 2 && secondStartUs() <= newestUs - preRollUs) {
            dropFirst();
        }
        while (bytes > maxBytes && !gops.isEmpty()) {
            dropFirst();
        }
    }

    private long secondStartUs() {
        var it = gops.iterator();
        it.next();
        return it.next().startUs();
    }

    private void dropFirst() {
        Gop g = gops.pollFirst();
        long b = gopBytes.pollFirst();
        bytes -= b;
        frames -= g.frames().size();
    }

    /** Forgets everything (new tracks, or frames were lost). */
    void clear() {
        gops.clear();
        gopBytes.clear();
        bytes = 0;
        frames = 0;
    }

    /**
     * The frames from the latest keyframe received at or before {@code wallMs} (the oldest one when
     * none is that old), through the newest frame.
     */
    List<Frame> from(long wallMs) {
        List<Frame> out = new ArrayList<>(frames);
        Gop start = gops.peekFirst();
        for (Gop g : gops) {
            if (g.startWallMs() <= wallMs) {
                start = g;
            }
        }
        boolean on = false;
        for (Gop g : gops) {
            on |= g == start;
            if (on) {
                out.addAll(g.frames());
            }
        }
        return out;
    }

    long bytes() {
        return bytes;
    }

    int frames() {
        return frames;
    }

    /** Stream time from the oldest keyframe held to the newest frame. */
    long spanUs() {
        return gops.isEmpty() ? 0 : newestUs - gops.peekFirst().startUs();
    }
}

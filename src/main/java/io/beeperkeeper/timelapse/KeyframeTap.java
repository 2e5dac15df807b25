package io.beeperkeeper.timelapse;

import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.FrameConsumer;
import io.beeperkeeper.media.Tracks;
import io.beeperkeeper.media.VideoTrack;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches one camera's stream and picks the first keyframe (IDR picture) after each interval
 * boundary, with the SPS/PPS it decodes with; every other frame is ignored at the cost of a
 * comparison. Runs on the camera's reader thread, so it only hands the keyframe on ({@link Sink}
 * queues it for the store's thread) and never touches the disk.
 */
final class KeyframeTap implements FrameConsumer {
    /** Where a picked keyframe goes; must return at once. */
    interface Sink {
        /** @return false if it was not taken (the store's queue is full) */
        boolean offer(String camera, VideoTrack track, List<byte[]> nals, Instant takenAt);
    }

    private final String camera;
    private final Clock clock;
    private final long intervalMs;
    private final Sink sink;
    private volatile VideoTrack track;
    private long nextDueMs = Long.MIN_VALUE;
    private final AtomicLong picked = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    KeyframeTap(String camera, Clock clock, int intervalSeconds, Sink sink) {
        this.camera = camera;
        this.clock = clock;
        this.intervalMs = intervalSeconds * 1000L;
        this.sink = sink;
    }

    @Override
    public void onTracks(Tracks tracks) {
        track = tracks.video();
    }

    @Override
    public synchronized void onFrame(Frame frame) {
        VideoTrack v = track;
        if (!frame.isVideo() || !frame.keyframe() || v == null) {
            return;
        }
        Instant now = clock.instant();
        long ms = now.toEpochMilli();
        if (ms < nextDueMs) {
            return;
        }
        // the next one is due at the next boundary of the interval, so the kept keyframes stay on a grid
        nextDueMs = Math.floorDiv(ms, intervalMs) * intervalMs + intervalMs;
        if (sink.offer(camera, v, frame.units(), now)) {
            picked.incrementAndGet();
        } else {
            dropped.incrementAndGet();
        }
    }

    String camera() {
        return camera;
    }

    long picked() {
        return picked.get();
    }

    long dropped() {
        return dropped.get();
    }
}

package io.beeperkeeper.recordings;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;

/**
 * One finished clip: an MP4 of one camera, part {@code part} of the event {@code eventId} (an event
 * longer than {@code recordings.maxClipSeconds} is several clips). {@code startMs} is when its first
 * frame reached the hub (the pre-roll's keyframe), {@code triggerMs} when the event was triggered.
 *
 * @param firstByteMs when the clip's first bytes were written (its part 1: its pre-roll), to measure the start latency
 * @param frames    video frames in the clip
 * @param bytes     size of the MP4 file
 * @param why       what triggered it, in words (the alert's title, "record button", ...)
 */
public record Clip(String id, String camera, ClipKind kind, String eventId, int part, long startMs, long durationMs,
                   long triggerMs, long firstByteMs, long bytes, int frames, int width, int height, boolean audio, String why) {
    @JsonIgnore
    public Instant start() {
        return Instant.ofEpochMilli(startMs);
    }

    @JsonIgnore
    public Instant end() {
        return Instant.ofEpochMilli(startMs + durationMs);
    }

    /** Whether {@code id} has the shape of a clip id (camera name, time, part): safe as a file name. */
    public static boolean isId(String id) {
        return id != null && id.matches("[a-z0-9][a-z0-9-]{0,31}-\\d{8}-\\d{9}-\\d{1,4}");
    }
}

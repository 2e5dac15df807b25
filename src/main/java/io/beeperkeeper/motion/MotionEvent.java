package io.beeperkeeper.motion;

import java.time.Instant;
import java.util.Optional;

/**
 * One stretch of motion on one camera, as listeners, the page, MQTT and {@code /api/motion} see it.
 *
 * @param id       the event's number in the motion table (0 when it could not be stored)
 * @param start    wall-clock time of the first picture with motion (when the camera's frame reached the hub)
 * @param end      wall-clock time of the last picture with motion; empty while the event goes on
 * @param startUs  the same start on the camera's stream clock ({@link io.beeperkeeper.media.Frame#timeUs()}),
 *                 so a recorder can find the frames of the event in its buffer
 * @param endUs    the end on the stream clock, or -1 while the event goes on
 * @param peak     the largest changed fraction of the picture (or its zones) seen so far, 0..1
 * @param zone     the zone with most of the motion, or empty when the camera has no zones
 * @param night    whether the camera was in night (infrared) mode
 */
public record MotionEvent(long id, String camera, Instant start, Optional<Instant> end, long startUs, long endUs,
                          double peak, String zone, boolean night) {
    public MotionEvent {
        end = end == null ? Optional.empty() : end;
        zone = zone == null ? "" : zone;
    }

    public boolean ongoing() {
        return end.isEmpty();
    }
}

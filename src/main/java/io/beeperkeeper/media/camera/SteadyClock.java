package io.beeperkeeper.media.camera;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The cameras' clock in production: the wall-clock time at start-up, advanced by the monotonic
 * {@link System#nanoTime()}. A Pi without a real-time clock jumps its wall clock when NTP syncs after
 * boot; deadlines measured on this clock (hang watchdog, backoff) never see that jump, so a jump can
 * neither kill a healthy camera nor hide a hung one.
 */
public final class SteadyClock extends Clock {
    private final Instant anchor;
    private final long anchorNanos;

    private SteadyClock(Instant anchor, long anchorNanos) {
        this.anchor = anchor;
        this.anchorNanos = anchorNanos;
    }

    public static Clock create() {
        return new SteadyClock(Instant.now(), System.nanoTime());
    }

    @Override
    public Instant instant() {
        return anchor.plusNanos(System.nanoTime() - anchorNanos);
    }

    @Override
    public long millis() {
        return instant().toEpochMilli();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}

package io.beeperkeeper.media.camera;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A camera's time base on the injected clock: microseconds since the supervisor was built, running on
 * across process restarts (so a viewer's timeline never goes back), and the wall-clock milliseconds a
 * frame arrived at (the page's delay badge).
 */
record StreamClock(Clock clock, Instant origin) {
    static StreamClock startingNow(Clock clock) {
        return new StreamClock(clock, clock.instant());
    }

    long nowUs() {
        Duration d = Duration.between(origin, clock.instant());
        return d.getSeconds() * 1_000_000 + d.getNano() / 1000;
    }

    long wallMs() {
        return clock.millis();
    }
}

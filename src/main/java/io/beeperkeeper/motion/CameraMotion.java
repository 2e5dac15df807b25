package io.beeperkeeper.motion;

import io.beeperkeeper.config.MotionConfig;

import java.time.Instant;
import java.util.Optional;

/**
 * Motion detection of one camera: each decoded picture is scored ({@link Difference}) and the scores
 * become events ({@link EventTracker}); starts and ends go to the {@link Sink} with the picture for the
 * thumbnail. Pictures arrive on the decoder's thread; settings can be replaced live (zones drawn on the
 * page), which takes the background afresh.
 */
final class CameraMotion {
    /** Where a camera's events go (the feature: store, page, MQTT, listeners). */
    interface Sink {
        /** @return the event as stored (with its id) */
        MotionEvent started(MotionEvent event, Picture picture);

        void ended(MotionEvent event, Picture peak);
    }

    private final String camera;
    private final int fps;
    private final Sink sink;
    private MotionConfig.Settings settings;
    private Difference difference;
    private EventTracker tracker;
    private MotionEvent current;
    private Picture peakPicture;
    private double peakScore;
    private volatile double lastScore;
    private volatile boolean night;
    private volatile long pictures;
    private volatile long lightSwitches;
    private volatile Instant lastEvent = Instant.EPOCH;

    CameraMotion(String camera, MotionConfig.Settings settings, int fps, Sink sink) {
        this.camera = camera;
        this.fps = fps;
        this.sink = sink;
        use(settings);
    }

    private void use(MotionConfig.Settings s) {
        settings = s;
        difference = new Difference(s, fps);
        tracker = new EventTracker(s.minSeconds(), s.endSeconds());
    }

    synchronized MotionConfig.Settings settings() {
        return settings;
    }

    /** New settings from now on; an event going on ends first. */
    synchronized void replace(MotionConfig.Settings s) {
        interrupted();
        use(s);
    }

    synchronized void look(Picture p) {
        pictures++;
        Difference.Look l = difference.look(p);
        night = l.night();
        lastScore = l.score();
        if (l.lightsSwitched()) {
            lightSwitches++;
        }
        boolean moving = !l.lightsSwitched() && l.score() >= settings.minArea();
        if (moving && (peakPicture == null || l.score() > peakScore)) {
            peakPicture = p;
            peakScore = l.score();
        }
        switch (tracker.observe(p.timeUs(), moving, l.score(), l.zone())) {
            case STARTED -> {
                long startWall = p.wallMs() - (p.timeUs() - tracker.startUs()) / 1000;
                MotionEvent e = new MotionEvent(0, camera, Instant.ofEpochMilli(startWall), Optional.empty(), tracker.startUs(), -1,
                        tracker.peak(), tracker.zone(), night);
                current = sink.started(e, peakPicture == null ? p : peakPicture);
                lastEvent = current.start();
            }
            case ENDED -> end(p.wallMs() - (p.timeUs() - tracker.lastMotionUs()) / 1000);
            case NONE -> {
                if (!tracker.active() && tracker.startUs() < 0) {
                    peakPicture = null;
                    peakScore = 0;
                }
            }
        }
    }

    private void end(long endWall) {
        MotionEvent c = current;
        current = null;
        if (c == null) {
            return;
        }
        MotionEvent done = new MotionEvent(c.id(), camera, c.start(), Optional.of(Instant.ofEpochMilli(Math.max(endWall, c.start().toEpochMilli()))),
                c.startUs(), tracker.lastMotionUs(), tracker.peak(), tracker.zone(), c.night());
        lastEvent = done.end().orElseThrow();
        sink.ended(done, peakPicture);
        peakPicture = null;
        peakScore = 0;
    }

    /** The decoder stopped: an event going on ends at its last picture with motion. */
    synchronized void interrupted() {
        MotionEvent c = current;
        if (tracker.interrupted() == EventTracker.Change.ENDED && c != null) {
            long lastWall = c.start().toEpochMilli() + (tracker.lastMotionUs() - c.startUs()) / 1000;
            end(lastWall);
        }
    }

    /** The event going on, if any. */
    synchronized Optional<MotionEvent> current() {
        return Optional.ofNullable(current);
    }

    double lastScore() {
        return lastScore;
    }

    boolean night() {
        return night;
    }

    long pictures() {
        return pictures;
    }

    long lightSwitches() {
        return lightSwitches;
    }

    Instant lastEvent() {
        return lastEvent;
    }
}

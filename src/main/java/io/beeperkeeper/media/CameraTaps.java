package io.beeperkeeper.media;

import java.util.ArrayList;
import java.util.List;

/**
 * The frame consumers one feature keeps on the cameras' streams (a recorder, a time-lapse tap), put
 * on by camera name and all taken off together when the feature closes, so each feature's wiring is
 * one line at start and one at close. A name with no camera is skipped.
 */
public final class CameraTaps implements AutoCloseable {
    private final Cameras cameras;
    private final List<Stream.Subscription> subscriptions = new ArrayList<>();

    public CameraTaps(Cameras cameras) {
        this.cameras = cameras;
    }

    /** Subscribes {@code consumer} to the camera's stream (it gets the stream's tracks, then every frame). */
    public synchronized void tap(String camera, FrameConsumer consumer) {
        cameras.stream(camera).ifPresent(s -> subscriptions.add(s.subscribe(consumer)));
    }

    /** Takes every consumer off its stream. */
    @Override
    public synchronized void close() {
        subscriptions.forEach(Stream.Subscription::close);
        subscriptions.clear();
    }
}

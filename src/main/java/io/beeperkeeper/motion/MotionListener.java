package io.beeperkeeper.motion;

/**
 * Told when motion starts and ends on a camera (a recorder writing a clip, an alert rule). Called on
 * the camera's motion thread: return at once and never block; hand slow work to your own thread.
 */
public interface MotionListener {
    /** Motion lasted {@code motion.minSeconds}: {@code event.start()} is when it began. */
    void started(MotionEvent event);

    /** No motion for {@code motion.endSeconds}: {@code event.end()} is the last picture with motion. */
    void ended(MotionEvent event);

    /** A listener that does nothing. */
    MotionListener NONE = new MotionListener() {
        @Override
        public void started(MotionEvent event) {
        }

        @Override
        public void ended(MotionEvent event) {
        }
    };
}

package io.beeperkeeper.media;

/**
 * Receives a {@link Stream}'s media. Called on the camera's reader thread under the stream's lock:
 * implementations must return at once and never block (put the frame in a bounded queue, e.g.
 * {@link FrameQueue}, and do slow work elsewhere).
 *
 * <p>Order of calls: {@link #onTracks} first (immediately on subscribe if the stream is live, else
 * when it becomes live), then the cached GOP (starting at the latest keyframe), then live frames.
 * {@link #onTracks} is called again whenever the tracks change (camera restart with another SPS or
 * audio config); frames after it belong to the new tracks and start at a keyframe.
 */
public interface FrameConsumer {
    void onTracks(Tracks tracks);

    void onFrame(Frame frame);

    /** The subscription ended (unsubscribed or the stream was closed for good). */
    default void onEnd() {
    }
}

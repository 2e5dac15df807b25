package io.beeperkeeper.media.webrtc;

import io.beeperkeeper.media.Stream;

import java.util.Optional;

/** Finds a camera's live {@link Stream} by its configured name (the media package's registry, as a lambda). */
@FunctionalInterface
interface CameraStreams {
    Optional<Stream> find(String camera);
}

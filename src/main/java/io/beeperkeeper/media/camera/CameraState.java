package io.beeperkeeper.media.camera;

import java.time.Instant;

/** What a camera is doing, for health and the page: starting, live, or offline with the reason. */
public record CameraState(Status status, String reason, Instant since, int restarts) {
    public enum Status { STARTING, LIVE, OFFLINE }

    public String label() {
        return status.name().toLowerCase();
    }
}

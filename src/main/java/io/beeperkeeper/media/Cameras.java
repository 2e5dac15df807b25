package io.beeperkeeper.media;

import io.beeperkeeper.config.CameraConfig;
import io.beeperkeeper.config.MediaConfig;
import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.media.camera.CameraState;
import io.beeperkeeper.media.camera.CameraSupervisor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The hub's cameras: one {@link CameraSupervisor} and {@link Stream} per configured camera, started
 * and stopped together, each reporting to {@code /api/health} as {@code camera.<name>}. Outputs
 * (MSE, snapshots, WebRTC) look streams up here by name.
 */
public final class Cameras implements AutoCloseable {
    private final Map<String, CameraSupervisor> cameras = new LinkedHashMap<>();
    private final MediaConfig media;

    public Cameras(Map<String, CameraConfig> configs, MediaConfig media) {
        this.media = media;
        configs.forEach((name, c) -> cameras.put(name, CameraSupervisor.forConfig(name, c, media, new Stream(name))));
    }

    /** For tests: cameras already built (e.g. with special commands). */
    public Cameras(List<CameraSupervisor> supervisors, MediaConfig media) {
        this.media = media;
        supervisors.forEach(s -> cameras.put(s.name(), s));
    }

    /**
     * Tells the listener about every camera state change (App forwards them to the page as the SSE
     * event {@code camera}: {@code {name, state, reason}}).
     */
    public void onStateChange(java.util.function.BiConsumer<String, CameraState> listener) {
        cameras.values().forEach(c -> c.onStateChange(s -> listener.accept(c.name(), s)));
    }

    /** The JSON shape of a state change event. */
    public static Map<String, Object> stateEvent(String camera, CameraState s) {
        return Map.of("name", camera, "state", s.label(), "reason", s.reason() == null ? "" : s.reason());
    }

    public void start() {
        cameras.values().forEach(CameraSupervisor::start);
    }

    public MediaConfig media() {
        return media;
    }

    public Collection<CameraSupervisor> all() {
        return List.copyOf(cameras.values());
    }

    public Optional<CameraSupervisor> get(String name) {
        return Optional.ofNullable(cameras.get(name));
    }

    public Optional<Stream> stream(String name) {
        return get(name).map(CameraSupervisor::stream);
    }

    public List<String> names() {
        return new ArrayList<>(cameras.keySet());
    }

    static ComponentHealth health(CameraSupervisor cam) {
        CameraState s = cam.state();
        long malformed = cam.malformedUnits();
        String detail = cam.config().source() + ": " + s.reason()
                + (malformed > 0 ? "; " + malformed + " malformed video units skipped" : "");
        return switch (s.status()) {
            case LIVE -> ComponentHealth.up(detail);
            case STARTING -> ComponentHealth.starting(detail);
            case OFFLINE -> ComponentHealth.down(detail);
        };
    }

    @Override
    public void close() {
        cameras.values().forEach(CameraSupervisor::close);
    }
}

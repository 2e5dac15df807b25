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
    public void onStateChange(java.util.function.BiConsumer<CameraSupervisor, CameraState> listener) {
        cameras.values().forEach(c -> c.onStateChange(s -> listener.accept(c, s)));
    }

    /**
     * The JSON shape of a state change event: {@code {name, state, reason, lowered}}, {@code lowered}
     * as in {@link #lowered}.
     */
    public static Map<String, Object> stateEvent(CameraSupervisor camera, CameraState s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", camera.name());
        m.put("state", s.label());
        m.put("reason", s.reason() == null ? "" : s.reason());
        m.put("lowered", lowered(camera));
        return m;
    }

    /**
     * Whether the camera is encoded below its configured frame rate or size (a hot CPU), for the page's
     * badge: {@code {fps, width, height, why}}, or null at the configured encoding.
     */
    public static Map<String, Object> lowered(CameraSupervisor camera) {
        CameraSupervisor.Lowered l = camera.encoding();
        if (l.why().isEmpty()) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fps", l.encoding().fps());
        m.put("width", l.encoding().width());
        m.put("height", l.encoding().height());
        m.put("why", l.why());
        return m;
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
        CameraSupervisor.Lowered lowered = cam.encoding();
        String detail = cam.config().source() + ": " + s.reason()
                + (lowered.why().isEmpty() ? "" : "; lowered to " + lowered.encoding() + " (" + lowered.why() + ")")
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

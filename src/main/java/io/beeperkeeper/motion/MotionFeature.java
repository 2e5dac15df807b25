package io.beeperkeeper.motion;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.config.ConfigException;
import io.beeperkeeper.config.MotionConfig;
import io.beeperkeeper.config.MotionZone;
import io.beeperkeeper.feature.Feature;
import io.beeperkeeper.feature.Json;
import io.beeperkeeper.feature.Threads;
import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.health.HealthCheck;
import io.beeperkeeper.media.Cameras;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Motion detection on every camera ({@code motion.*}): a {@link GreyDecoder} per camera gives a few
 * small pictures a second, {@link CameraMotion} turns them into events, and each event is kept in the
 * hub's SQLite file with a thumbnail ({@link MotionStore}, deleted after {@code motion.retentionDays}),
 * sent to the page as the SSE event {@code motion} and told to every {@link MotionListener} (MQTT, alert
 * rules, the recorder). Zones and masks drawn on the page are kept in {@code <data>/motion/zones.json}
 * and take the place of the configured ones at once. Health entry {@code motion}; meters
 * {@code beeper_motion_*} per camera.
 */
public final class MotionFeature implements Feature {
    private static final Logger log = LoggerFactory.getLogger(MotionFeature.class);

    /** A camera's zones and masks. */
    public record Polygons(List<MotionZone> zones, List<MotionZone> masks) {
        public Polygons {
            zones = zones == null ? List.of() : List.copyOf(zones);
            masks = masks == null ? List.of() : List.copyOf(masks);
        }
    }

    /** What a camera's detection sees now, for the page. */
    public record Live(String camera, boolean moving, double score, boolean night, Optional<MotionEvent> event,
                       Polygons polygons, MotionConfig.Settings settings) {
    }

    private final MotionConfig config;
    private final Cameras cameras;
    private final String ffmpeg;
    private final Path zonesFile;
    private final Clock clock;
    private final BiConsumer<String, Object> page;
    private final MotionStore store;
    private final ObjectMapper json = Json.newMapper();
    private final List<MotionListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, CameraMotion> detectors = new LinkedHashMap<>();
    private final Map<String, GreyDecoder> decoders = new LinkedHashMap<>();
    private volatile String storeError = "";
    private ScheduledExecutorService retention;

    /**
     * @param ffmpeg   the ffmpeg command ({@code media.ffmpeg})
     * @param database the hub's SQLite file
     * @param page     SSE to the page: event name and payload
     */
    public MotionFeature(MotionConfig config, Cameras cameras, String ffmpeg, Path dataDir, Path database, Clock clock,
                         BiConsumer<String, Object> page, MeterRegistry meters) {
        this.config = config;
        this.cameras = cameras;
        this.ffmpeg = ffmpeg;
        this.zonesFile = dataDir.resolve("motion").resolve("zones.json");
        this.clock = clock;
        this.page = page;
        this.store = new MotionStore(database);
        for (String name : config.cameras().keySet()) {
            if (!cameras.names().contains(name)) {
                throw new ConfigException("motion.cameras." + name + ": there is no camera '" + name + "'; cameras: "
                        + String.join(", ", cameras.names()));
            }
        }
        if (config.enabled()) {
            for (String name : cameras.names()) {
                MotionConfig.Settings s = config.forCamera(name);
                if (!s.enabled()) {
                    continue;
                }
                CameraMotion m = new CameraMotion(name, s, config.fps(), sink(name));
                detectors.put(name, m);
                FunctionCounter.builder("beeper.motion.pictures", m, CameraMotion::pictures)
                        .description("small pictures decoded and looked at for motion").tag("camera", name).register(meters);
                FunctionCounter.builder("beeper.motion.light.switches", m, CameraMotion::lightSwitches)
                        .description("whole-picture changes (lights, the IR-cut filter) taken as no motion").tag("camera", name).register(meters);
            }
        }
    }

    @Override
    public String name() {
        return "motion";
    }

    public boolean enabled() {
        return config.enabled();
    }

    public MotionConfig config() {
        return config;
    }

    /** Adds a listener told of every camera's events from now on (any time, also before start). */
    public void addListener(MotionListener listener) {
        listeners.add(listener);
    }

    /** The cameras with motion detection. */
    public List<String> cameraNames() {
        return List.copyOf(detectors.keySet());
    }

    @Override
    public void start() {
        if (detectors.isEmpty()) {
            return;
        }
        try {
            store.open();
        } catch (SQLException e) {
            storeError = "cannot open the motion table in " + e.getMessage() + "; motion events are not kept";
            log.warn("motion: {}", storeError);
        }
        Map<String, Polygons> drawn = readZones();
        drawn.forEach((camera, p) -> {
            CameraMotion m = detectors.get(camera);
            if (m != null) {
                m.replace(m.settings().withPolygons(p.zones(), p.masks()));
            }
        });
        retention = Executors.newSingleThreadScheduledExecutor(Threads.daemon("motion-retention"));
        retention.scheduleWithFixedDelay(this::deleteOld, 0, 1, TimeUnit.HOURS);
        detectors.forEach((name, m) -> cameras.stream(name).ifPresent(stream -> {
            GreyDecoder d = new GreyDecoder(name, stream, ffmpeg, config.fps(), config.width(), config.height(),
                    m::look, m::interrupted);
            decoders.put(name, d);
            d.start();
        }));
    }

    private CameraMotion.Sink sink(String camera) {
        return new CameraMotion.Sink() {
            @Override
            public MotionEvent started(MotionEvent e, Picture picture) {
                MotionEvent stored = e;
                try {
                    long id = store.insert(e, Thumbnails.jpeg(picture));
                    stored = new MotionEvent(id, e.camera(), e.start(), e.end(), e.startUs(), e.endUs(), e.peak(), e.zone(), e.night());
                    storeError = "";
                } catch (SQLException | RuntimeException ex) {
                    storeError = "cannot keep " + camera + "'s motion event: " + ex.getMessage();
                }
                page.accept("motion", eventJson(stored));
                for (MotionListener l : listeners) {
                    try {
                        l.started(stored);
                    } catch (RuntimeException ex) {
                        log.warn("motion {}: a listener failed on start: {}", camera, ex.toString());
                    }
                }
                return stored;
            }

            @Override
            public void ended(MotionEvent e, Picture peak) {
                try {
                    if (e.id() > 0) {
                        store.finish(e, peak == null ? new byte[0] : Thumbnails.jpeg(peak));
                    }
                } catch (SQLException | RuntimeException ex) {
                    storeError = "cannot keep " + camera + "'s motion event: " + ex.getMessage();
                }
                page.accept("motion", eventJson(e));
                for (MotionListener l : listeners) {
                    try {
                        l.ended(e);
                    } catch (RuntimeException ex) {
                        log.warn("motion {}: a listener failed on end: {}", camera, ex.toString());
                    }
                }
            }
        };
    }

    /** An event as the page and {@code /api/motion} show it. */
    public static Map<String, Object> eventJson(MotionEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("camera", e.camera());
        m.put("start", e.start().toString());
        m.put("end", e.end().map(Instant::toString).orElse(null));
        m.put("ongoing", e.ongoing());
        m.put("seconds", e.end().map(end -> Duration.between(e.start(), end).toMillis() / 1000.0).orElse(null));
        m.put("peak", Math.round(e.peak() * 1000) / 1000.0);
        m.put("zone", e.zone());
        m.put("night", e.night());
        m.put("thumbnail", e.id() > 0 ? "/api/motion/" + e.id() + "/thumbnail.jpg" : null);
        return m;
    }

    private void deleteOld() {
        try {
            int n = store.deleteBefore(clock.instant().minus(Duration.ofDays(config.retentionDays())));
            if (n > 0) {
                log.info("motion: {} events older than {} days deleted", n, config.retentionDays());
            }
        } catch (SQLException | RuntimeException e) {
            // the store may be closed or unopened; health says so
        }
    }

    /** Events overlapping {@code [from, to]}, newest first; {@code camera} empty for all. */
    public List<MotionEvent> events(String camera, Instant from, Instant to, int limit) throws IOException {
        try {
            return store.events(camera, from, to, limit);
        } catch (SQLException | RuntimeException e) {
            throw new IOException("the motion table cannot be read: " + e.getMessage(), e);
        }
    }

    public Optional<byte[]> thumbnail(long id) throws IOException {
        try {
            return store.thumbnail(id);
        } catch (SQLException | RuntimeException e) {
            throw new IOException("the motion table cannot be read: " + e.getMessage(), e);
        }
    }

    /** What the camera's detection sees now. */
    public Optional<Live> live(String camera) {
        CameraMotion m = detectors.get(camera);
        if (m == null) {
            return Optional.empty();
        }
        MotionConfig.Settings s = m.settings();
        Optional<MotionEvent> e = m.current();
        return Optional.of(new Live(camera, e.isPresent(), m.lastScore(), m.night(), e, new Polygons(s.zones(), s.masks()), s));
    }

    /**
     * Replaces the camera's zones and masks (drawn on the page), from now on and after a restart.
     *
     * @throws ConfigException naming the bad polygon
     * @throws IOException     when the data folder cannot be written
     */
    public Polygons setPolygons(String camera, Polygons drawn) throws IOException {
        CameraMotion m = detectors.get(camera);
        if (m == null) {
            throw new IllegalArgumentException("no motion detection on camera '" + camera + "'");
        }
        MotionConfig.Settings checked = io.beeperkeeper.config.MotionCameraConfig.checked(camera, drawn.zones(), drawn.masks(), m.settings());
        synchronized (this) {
            Map<String, Polygons> all = new LinkedHashMap<>(readZones());
            all.put(camera, new Polygons(checked.zones(), checked.masks()));
            Files.createDirectories(zonesFile.getParent());
            Path tmp = zonesFile.resolveSibling("zones.json.tmp");
            json.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), all);
            Files.move(tmp, zonesFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        m.replace(checked);
        return new Polygons(checked.zones(), checked.masks());
    }

    private Map<String, Polygons> readZones() {
        if (!Files.exists(zonesFile)) {
            return Map.of();
        }
        try {
            Map<String, Polygons> read = json.readValue(zonesFile.toFile(), new TypeReference<LinkedHashMap<String, Polygons>>() { });
            Map<String, Polygons> ok = new LinkedHashMap<>();
            read.forEach((camera, p) -> {
                CameraMotion m = detectors.get(camera);
                if (m != null) {
                    try {
                        MotionConfig.Settings s = io.beeperkeeper.config.MotionCameraConfig.checked(camera, p.zones(), p.masks(), m.settings());
                        ok.put(camera, new Polygons(s.zones(), s.masks()));
                    } catch (ConfigException e) {
                        log.warn("motion: {} in {} is ignored: {}", camera, zonesFile, e.getMessage());
                    }
                }
            });
            return ok;
        } catch (IOException e) {
            log.warn("motion: cannot read {} ({}); the configured zones are used", zonesFile, e.getMessage());
            return Map.of();
        }
    }

    @Override
    public List<HealthCheck> health() {
        return List.of(new HealthCheck("motion", this::state));
    }

    private ComponentHealth state() {
        if (!config.enabled()) {
            return ComponentHealth.up("off (motion.enabled: false)");
        }
        if (detectors.isEmpty()) {
            return ComponentHealth.up("off on every camera (motion.cameras.<name>.enabled: false)");
        }
        List<String> problems = new ArrayList<>();
        StringBuilder sb = new StringBuilder(config.fps() + " pictures a second at " + config.width() + "x" + config.height() + ";");
        Instant now = clock.instant();
        detectors.forEach((name, m) -> {
            GreyDecoder d = decoders.get(name);
            String status = d == null ? "" : d.status();
            if (!status.isEmpty() && !status.equals("starting")) {
                problems.add(name + ": " + status);
            }
            sb.append(' ').append(name).append(": ").append(m.pictures()).append(" pictures")
                    .append(m.night() ? ", night mode" : "")
                    .append(m.current().isPresent() ? ", motion now" : m.lastEvent().equals(Instant.EPOCH) ? ""
                            : ", last motion " + Math.max(0, Duration.between(m.lastEvent(), now).toSeconds()) + " s ago")
                    .append(';');
        });
        sb.setLength(sb.length() - 1);
        if (!storeError.isEmpty()) {
            problems.add(storeError);
        }
        return problems.isEmpty() ? ComponentHealth.up(sb.toString()) : ComponentHealth.degraded(String.join("; ", problems));
    }

    /** How many pictures of the camera were looked at since start. */
    public long picturesLookedAt(String camera) {
        CameraMotion m = detectors.get(camera);
        return m == null ? 0 : m.pictures();
    }

    /** The decoder ffmpeg of a camera, for the CPU benchmark. */
    public Optional<ProcessHandle> decoderProcess(String camera) {
        GreyDecoder d = decoders.get(camera);
        Process p = d == null ? null : d.process();
        return p == null ? Optional.empty() : Optional.of(p.toHandle());
    }

    @Override
    public void close() {
        decoders.values().forEach(GreyDecoder::close);
        decoders.clear();
        if (retention != null) {
            retention.shutdownNow();
            retention = null;
        }
        store.close();
    }
}

package io.beeperkeeper.thermal;

import io.beeperkeeper.config.ThermalConfig;
import io.beeperkeeper.feature.Feature;
import io.beeperkeeper.feature.Threads;
import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.health.HealthCheck;
import io.beeperkeeper.media.Cameras;
import io.beeperkeeper.media.camera.CameraSupervisor;
import io.beeperkeeper.media.camera.VideoEncoding;
import io.beeperkeeper.sensor.system.ThrottleReader;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The thermal governor: every {@code thermal.intervalSeconds} it reads the CPU's heat, lets the
 * {@link ThermalGovernor} decide, and applies each step to every software-encoded camera (test, v4l2)
 * as a planned restart of its ffmpeg at the new frame rate and size. Hardware-encoded (rpicam) and
 * copied (rtsp, file) cameras are never touched. Each step is one log line per camera, shows as the
 * camera's {@code lowered} badge on the page (through {@code /api/cameras} and the {@code camera}
 * event), in {@code /api/health} ({@code thermal}, and the camera's entry), and in {@code /metrics}:
 * {@code beeper_thermal_steps_total{camera,direction}} and {@code beeper_thermal_level{camera}}.
 */
public final class ThermalFeature implements Feature {
    private static final Logger log = LoggerFactory.getLogger(ThermalFeature.class);

    private final ThermalConfig config;
    private final HeatProbe probe;
    private final ThermalGovernor governor;
    private final List<CameraSupervisor> governed;
    private final List<String> leftAlone;
    private final Map<String, Map<Step.Direction, AtomicLong>> steps = new LinkedHashMap<>();
    private volatile ThermalLevel level = ThermalLevel.FULL;
    private volatile Optional<Heat> lastHeat = Optional.empty();
    private volatile String readFailure = "";
    private volatile ScheduledExecutorService timer;
    private volatile boolean idle;

    /**
     * @param probe  where the heat is read ({@link #probe(ThermalConfig)} in production)
     * @param clock  times the dwell between steps
     * @param meters the hub's registry: the steps and levels per governed camera
     */
    public ThermalFeature(ThermalConfig config, Cameras cameras, HeatProbe probe, Clock clock, MeterRegistry meters) {
        this.config = config;
        this.probe = probe;
        this.governor = new ThermalGovernor(config, clock);
        this.governed = cameras.all().stream().filter(c -> c.config().softwareEncoded()).toList();
        this.leftAlone = cameras.all().stream().filter(c -> !c.config().softwareEncoded())
                .map(c -> c.name() + " (" + c.config().source() + ")").toList();
        for (CameraSupervisor cam : governed) {
            Map<Step.Direction, AtomicLong> counts = new EnumMap<>(Step.Direction.class);
            for (Step.Direction d : Step.Direction.values()) {
                AtomicLong n = new AtomicLong();
                counts.put(d, n);
                FunctionCounter.builder("beeper.thermal.steps", n, AtomicLong::get)
                        .description("thermal steps of a software-encoded camera: down (lower frame rate or size on a hot CPU) or up")
                        .tags("camera", cam.name(), "direction", d.label()).register(meters);
            }
            steps.put(cam.name(), counts);
            Gauge.builder("beeper.thermal.level", this, f -> f.level.ordinal())
                    .description("thermal level of a software-encoded camera: 0 full, 1 half frame rate, 2 half frame rate and size")
                    .tag("camera", cam.name()).register(meters);
        }
    }

    /** The production probe: the configured thermal zone, and the throttle file or the sensor's throttle reader. */
    public static HeatProbe probe(ThermalConfig config) {
        ThrottleReader throttle = config.throttleFile().isEmpty() ? ThrottleReader.system()
                : ThrottleReader.fromFile(Path.of(config.throttleFile()));
        return new SysfsHeatProbe(Path.of(config.thermalZone()), throttle);
    }

    @Override
    public String name() {
        return "thermal";
    }

    @Override
    public void start() {
        if (!config.enabled() || governed.isEmpty()) {
            return;
        }
        if (!probe.available()) {
            idle = true;
            log.info("thermal: no CPU temperature at {}: the governor is idle", probe.describe());
            return;
        }
        ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(Threads.daemon("thermal"));
        long everyMs = Math.round(config.intervalSeconds() * 1000);
        t.scheduleWithFixedDelay(this::poll, 0, everyMs, TimeUnit.MILLISECONDS);
        timer = t;
    }

    /** One look at the heat, and the step it calls for; never throws (the timer would stop). */
    void poll() {
        Heat heat;
        try {
            heat = probe.read();
        } catch (IOException | RuntimeException e) {
            String why = "cannot read the CPU temperature from " + probe.describe() + ": " + e.getMessage()
                    + " (set thermal.thermalZone to the right file, or thermal.enabled: false)";
            if (!why.equals(readFailure)) {
                log.warn("thermal: {}", why);
            }
            readFailure = why;
            return;
        }
        readFailure = "";
        lastHeat = Optional.of(heat);
        try {
            governor.observe(heat).ifPresent(this::apply);
        } catch (RuntimeException e) {
            log.warn("thermal: could not apply a step: {}", e.toString(), e);
        }
    }

    private void apply(Step step) {
        level = step.to();
        String why = String.format(Locale.ROOT, "CPU %.1f °C%s: %s", step.heat().celsius(),
                step.heat().throttled() ? " and throttled" : "", step.to().label());
        for (CameraSupervisor cam : governed) {
            VideoEncoding configured = VideoEncoding.of(cam.config());
            VideoEncoding from = step.from().apply(configured);
            VideoEncoding to = step.to().apply(configured);
            cam.reencode(to, why);
            steps.get(cam.name()).get(step.direction()).incrementAndGet();
            log.info("thermal: camera {} stepped {}: {} -> {} ({} -> {}; {}; steps down at {} °C, up at {} °C)",
                    cam.name(), step.direction().label(), from, to, step.from().label(), step.to().label(),
                    step.heat().describe(), config.stepDownAtC(), config.stepUpAtC());
        }
    }

    /** The level the governed cameras are at now. */
    public ThermalLevel level() {
        return level;
    }

    @Override
    public List<HealthCheck> health() {
        return List.of(new HealthCheck("thermal", this::healthNow));
    }

    private ComponentHealth healthNow() {
        String alone = leftAlone.isEmpty() ? "" : "; left alone: " + String.join(", ", leftAlone);
        if (!config.enabled()) {
            return ComponentHealth.up("off (thermal.enabled: false)");
        }
        if (governed.isEmpty()) {
            return ComponentHealth.up("no software-encoded camera to step down" + alone);
        }
        String cams = "cameras " + String.join(", ", governed.stream().map(CameraSupervisor::name).toList()) + alone;
        if (idle) {
            return ComponentHealth.up("idle: this machine has no thermal zone at " + probe.describe()
                    + " (set thermal.thermalZone to the CPU's)");
        }
        String limits = "steps down at " + config.stepDownAtC() + " °C, up at " + config.stepUpAtC() + " °C";
        if (!readFailure.isEmpty()) {
            return ComponentHealth.degraded(readFailure + "; " + cams);
        }
        Optional<Heat> heat = lastHeat;
        if (heat.isEmpty()) {
            return ComponentHealth.starting("first reading of " + probe.describe() + " pending; " + cams);
        }
        String detail = level.label() + "; " + heat.get().describe() + "; " + limits + "; " + cams;
        return level == ThermalLevel.FULL ? ComponentHealth.up(detail) : ComponentHealth.degraded(detail);
    }

    @Override
    public void close() {
        ScheduledExecutorService t = timer;
        if (t != null) {
            t.shutdownNow();
            try {
                t.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

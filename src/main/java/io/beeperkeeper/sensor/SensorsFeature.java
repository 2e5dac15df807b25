package io.beeperkeeper.sensor;

import io.beeperkeeper.StartupException;
import io.beeperkeeper.config.SensorsConfig;
import io.beeperkeeper.feature.Closer;
import io.beeperkeeper.feature.Feature;
import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.health.HealthCheck;
import io.beeperkeeper.health.HealthRegistry;
import io.beeperkeeper.sensor.audio.AudioLevelMeter;
import io.beeperkeeper.sensor.audio.AudioLevelPublisher;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * This node's sensors: each one's hardware reader or simulated twin ({@link SensorSetup}), polled by
 * the {@link Sampler}, plus the pushed streams (camera metadata) and the sound-level meter that a
 * camera's microphone feeds. Every reading goes to the given sink (telemetry).
 */
public final class SensorsFeature implements Feature {

    /** Receives a camera's audio as 16-bit mono PCM; a do-nothing one when no camera has audio. */
    @FunctionalInterface
    public interface Microphone {
        Microphone NONE = (pcm, offset, length) -> { };

        void feed(byte[] pcm, int offset, int length);
    }

    private final SensorsConfig config;
    private final Path sysRoot;
    private final Path procRoot;
    private final Path dataDir;
    private final ReadingSink sink;
    private final Clock clock;
    private final Microphone microphone;
    private final boolean microphoneFromCamera;
    private final HealthRegistry streamHealth = new HealthRegistry();
    private final Closer open = new Closer();
    private volatile Sampler sampler;
    private volatile List<String> notConnected = List.of();

    /**
     * @param microphoneFromCamera a camera with audio feeds the sound-level meter through
     *                             {@link #microphone()} (one capture for stream and meter), so the level
     *                             is measured, never simulated
     * @param sampleRate           the PCM sample rate the camera delivers
     */
    public SensorsFeature(SensorsConfig config, Path sysRoot, Path procRoot, Path dataDir, ReadingSink sink, Clock clock,
                          boolean microphoneFromCamera, int sampleRate) {
        this.config = config;
        this.sysRoot = sysRoot;
        this.procRoot = procRoot;
        this.dataDir = dataDir;
        this.sink = sink;
        this.clock = clock;
        this.microphoneFromCamera = microphoneFromCamera;
        this.microphone = microphoneFromCamera
                ? new AudioLevelMeter(sampleRate, 1, 1.0, new AudioLevelPublisher(sink, clock))::feed
                : Microphone.NONE;
    }

    @Override
    public String name() {
        return "sensors";
    }

    /** Where the camera with audio sends its PCM. */
    public Microphone microphone() {
        return microphone;
    }

    @Override
    public void start() {
        SensorSetup setup = new SensorSetup(config, sysRoot, procRoot, dataDir, microphoneFromCamera);
        Sampler s = open.own(new Sampler(setup.sources(), sink, clock, config.intervalSeconds()));
        notConnected = setup.notConnected();
        try {
            for (AutoCloseable stream : setup.startStreams(sink, clock, streamHealth)) {
                open.own(stream);
            }
        } catch (IOException e) {
            throw new StartupException("camera metadata: " + e.getMessage(), e);
        }
        sampler = s;
        sink.present(setup.present());
        s.start();
    }

    @Override
    public List<HealthCheck> health() {
        HealthCheck sensors = new HealthCheck("sensors",
                () -> sampler == null ? ComponentHealth.down("not started") : withMissing(sampler.health()));
        if (config.cameraMetadata().fifo().isBlank() || config.simulated()) {
            return List.of(sensors);
        }
        return List.of(sensors, new HealthCheck("camera metadata", () -> streamHealth.snapshot().values().stream()
                .findFirst().orElse(ComponentHealth.down("not started"))));
    }


    /** A sensor that is not connected publishes nothing; health names it and the fix. */
    private ComponentHealth withMissing(ComponentHealth h) {
        List<String> missing = notConnected;
        if (missing.isEmpty()) {
            return h;
        }
        String detail = h.detail() + "; not connected: " + String.join("; ", missing);
        return h.status() == ComponentHealth.Status.UP ? ComponentHealth.degraded(detail) : new ComponentHealth(h.status(), detail);
    }

    @Override
    public void close() {
        open.close();
    }
}

package io.beeperkeeper.sensor;

import io.beeperkeeper.config.CameraMetadataConfig;
import io.beeperkeeper.config.SensorsConfig;
import io.beeperkeeper.sensor.camera.CameraMetadataPublisher;
import io.beeperkeeper.sensor.camera.MetadataFifoReader;
import io.beeperkeeper.sensor.camera.MetadataParser;
import io.beeperkeeper.sensor.sim.CoopDay;
import io.beeperkeeper.sensor.sim.SimulatedAudioLevel;
import io.beeperkeeper.sensor.sim.SimulatedBme680;
import io.beeperkeeper.sensor.sim.SimulatedCameraMetadata;
import io.beeperkeeper.sensor.sim.SimulatedCpuTemperature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Chooses, for each sensor, the hardware reader when its hardware is found, and nothing otherwise
 * ({@code sensors.mode: auto}: the sensor is listed as not connected, with the fix); simulated twins
 * run only in {@code simulated} mode or the zero-config demo without sensor hardware; each choice is logged once
 * ({@link HardwareSensors}). Polled sensors come from {@link #sources()}; the camera's metadata stream,
 * which pushes, starts with {@link #startStreams}.
 */
final class SensorSetup {
    private static final Logger log = LoggerFactory.getLogger(SensorSetup.class);

    private final SensorsConfig config;
    private final Path sysRoot;
    private final Path procRoot;
    private final Path dataDir;
    private final boolean microphoneFromCamera;
    private final List<String> notConnected = new ArrayList<>();
    private final java.util.Set<ReadingKind> present = java.util.EnumSet.noneOf(ReadingKind.class);

    public SensorSetup(SensorsConfig config, Path sysRoot, Path procRoot, Path dataDir) {
        this(config, sysRoot, procRoot, dataDir, false);
    }

    /** @param microphoneFromCamera a camera's audio feeds the level meter, so no simulated level */
    public SensorSetup(SensorsConfig config, Path sysRoot, Path procRoot, Path dataDir, boolean microphoneFromCamera) {
        this.microphoneFromCamera = microphoneFromCamera;
        this.config = config;
        this.sysRoot = sysRoot;
        this.procRoot = procRoot;
        this.dataDir = dataDir;
    }

    public List<ReadingSource> sources() {
        CoopDay day = new CoopDay(ZoneId.systemDefault(), new Random());
        Map<ReadingKind, Supplier<ReadingSource>> twins = HardwareSensors.twins();
        twins.put(ReadingKind.BME680, () -> new SimulatedBme680(day));
        twins.put(ReadingKind.CPU_TEMPERATURE, () -> new SimulatedCpuTemperature(day));
        List<ReadingSource> out = new ArrayList<>();
        boolean simulating = config.simulated();
        notConnected.clear();
        present.clear();
        for (HardwareSensors.Choice c : new HardwareSensors(config, sysRoot, procRoot, Path.of("/dev"), dataDir).chooseAll(twins)) {
            if (c.source() != null) {
                out.add(c.source());
                present.add(c.kind());
                simulating |= c.simulated();
            } else {
                notConnected.add(c.kind().topicSuffix() + " (" + c.reason() + ")");
            }
        }
        if (cameraFifo() != null) {
            present.add(ReadingKind.CAMERA_METADATA);
        } else {
            if (simulating) {
                out.add(simulated(new SimulatedCameraMetadata(day), "sensors are simulated"));
                present.add(ReadingKind.CAMERA_METADATA);
            } else {
                notConnected.add(ReadingKind.CAMERA_METADATA.topicSuffix()
                        + " (no rpicam camera with metadataFifo, and sensors.cameraMetadata.fifo is not set)");
            }
        }
        if (microphoneFromCamera) {
            present.add(ReadingKind.AUDIO_LEVEL);
        } else {
            if (simulating) {
                out.add(simulated(new SimulatedAudioLevel(day), "sensors are simulated"));
                present.add(ReadingKind.AUDIO_LEVEL);
            } else {
                notConnected.add(ReadingKind.AUDIO_LEVEL.topicSuffix() + " (no camera with audio: set audio on a v4l2 or rtsp camera)");
            }
        }
        return out;
    }

    /** The kinds of reading this node sends, as {@link #sources()} found them (hardware, FIFO, microphone or simulated). */
    public java.util.Set<ReadingKind> present() {
        return java.util.Set.copyOf(present);
    }

    /** The sensors {@link #sources()} found nothing for, each with the reason and the fix. */
    public List<String> notConnected() {
        return List.copyOf(notConnected);
    }

    /** Starts the camera-metadata FIFO reader when configured; the caller closes what it returns. */
    public List<AutoCloseable> startStreams(ReadingSink sink, Clock clock) throws IOException {
        return startStreams(sink, clock, new io.beeperkeeper.health.HealthRegistry());
    }

    /** As above, and the metadata parser's record and skip counts appear in /api/health. */
    public List<AutoCloseable> startStreams(ReadingSink sink, Clock clock, io.beeperkeeper.health.HealthRegistry health)
            throws IOException {
        Path fifo = cameraFifo();
        if (fifo == null) {
            return List.of();
        }
        CameraMetadataConfig c = config.cameraMetadata();
        CameraMetadataPublisher publisher = new CameraMetadataPublisher(sink, clock, Duration.ofMillis(Math.round(c.intervalSeconds() * 1000)));
        MetadataParser parser = MetadataParser.forFormat(c.format(), publisher);
        MetadataFifoReader reader = new MetadataFifoReader(fifo, parser);
        health.register("camera metadata", () -> io.beeperkeeper.health.ComponentHealth.up(
                fifo + " (" + c.format() + "): " + parser.records() + " records, " + parser.skipped()
                        + " garbage or truncated records skipped, " + publisher.published() + " readings published"));
        reader.start();
        log.info("sensor camera/csi/metadata: rpicam-vid metadata from FIFO {} ({})", fifo, c.format());
        return List.of(reader);
    }

    private Path cameraFifo() {
        String f = config.cameraMetadata().fifo();
        return f.isBlank() || config.simulated() ? null : Path.of(f);
    }

    private static ReadingSource simulated(ReadingSource source, String why) {
        log.info("sensor: {} ({})", source.name(), why);
        return new SimulatedMark(source);
    }
}

package io.beeperkeeper.recordings;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.config.RecordingsConfig;
import io.beeperkeeper.feature.Feature;
import io.beeperkeeper.feature.Threads;
import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.health.HealthCheck;
import io.beeperkeeper.media.Cameras;
import io.beeperkeeper.media.CameraTaps;
import io.beeperkeeper.media.mp4.Mp4Movie;
import io.beeperkeeper.motion.MotionEvent;
import io.beeperkeeper.motion.MotionListener;
import io.beeperkeeper.StartupException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Clips of every camera ({@code recordings.*}): a {@link CameraRecorder} on each camera's stream
 * keeps its pre-roll and writes clips into {@code <data>/clips} when told to: {@link #record} (the
 * page's "record" button), {@link #alert} (an alert fired), {@link #motion} (a motion event starts
 * or ends, told by {@link #motionListener}). The {@link ClipLibrary} lists them; retention by age and total size runs after each
 * clip and every ten minutes; below {@code recordings.minFreeBytes} of free disk nothing is written
 * and health says so. Thumbnails are the clip's first keyframe as a JPEG, made by a short-lived
 * ffmpeg the first time one is asked for and kept beside the clip.
 *
 * <p>Memory: each camera's pre-roll (the pre-roll plus one GOP, capped at {@link #PRE_ROLL_MAX_BYTES})
 * and its queue of at most {@link CameraRecorder#QUEUE} frames. Health entry {@code recordings};
 * meters {@code beeper_clips_*}.
 */
public final class RecordingsFeature implements Feature {
    private static final Logger log = LoggerFactory.getLogger(RecordingsFeature.class);
    /** Cap on one camera's pre-roll: 5 s of a 1080p camera at 8 Mbit/s plus a GOP still fits. */
    static final long PRE_ROLL_MAX_BYTES = 12L * 1024 * 1024;
    private static final long RETENTION_EVERY_MS = 10 * 60_000;
    private static final long FREE_SPACE_CACHE_MS = 1_000;

    private final RecordingsConfig config;
    private final Cameras cameras;
    private final Clock clock;
    private final String ffmpeg;
    private final ClipLibrary library;
    private final DiskSpace disk;
    private final Map<String, CameraRecorder> recorders = new LinkedHashMap<>();
    private final CameraTaps taps;
    private final Object thumbnails = new Object();
    private volatile ScheduledExecutorService retention;
    private volatile long freeBytes = Long.MAX_VALUE;
    private volatile long freeCheckedMs;
    private volatile boolean belowFloor;
    private volatile String lastError = "";
    private volatile long deletedByRetention;

    /**
     * @param zone whose midnight ends a day for the {@code day} filter ({@code history.timeZone})
     * @param ffmpeg the ffmpeg that makes thumbnails ({@code media.ffmpeg})
     */
    public RecordingsFeature(RecordingsConfig config, Cameras cameras, Path dataDir, ZoneId zone, Clock clock, String ffmpeg,
                             ObjectMapper json, MeterRegistry meters) {
        this(config, cameras, dataDir, zone, clock, ffmpeg, json, meters, null);
    }

    /** @param disk free space of the clips' disk; null for the real one */
    RecordingsFeature(RecordingsConfig config, Cameras cameras, Path dataDir, ZoneId zone, Clock clock, String ffmpeg,
                      ObjectMapper json, MeterRegistry meters, DiskSpace disk) {
        this.config = config;
        this.cameras = cameras;
        this.clock = clock;
        this.ffmpeg = ffmpeg;
        this.library = new ClipLibrary(dataDir.resolve("clips"), json, zone);
        this.disk = disk != null ? disk : DiskSpace.of(dataDir);
        this.taps = new CameraTaps(cameras);
        if (config.enabled()) {
            for (String name : cameras.names()) {
                CameraRecorder r = new CameraRecorder(name, config.preRollSeconds() * 1000L, config.postRollSeconds() * 1000L,
                        config.maxClipSeconds() * 1000L, PRE_ROLL_MAX_BYTES, clock, library, this::fits, this::finished);
                recorders.put(name, r);
                FunctionCounter.builder("beeper.clips.written", r, CameraRecorder::clips)
                        .description("clips finished and listed").tag("camera", name).register(meters);
                FunctionCounter.builder("beeper.clips.written.bytes", r, CameraRecorder::written).baseUnit("bytes")
                        .description("bytes written to the data folder for clips (each clip's samples, once, and its MP4 header)")
                        .tag("camera", name).register(meters);
                FunctionCounter.builder("beeper.clips.frames.dropped", r, CameraRecorder::dropped)
                        .description("frames the recorder could not take because the disk fell behind").tag("camera", name).register(meters);
                Gauge.builder("beeper.clips.preroll.bytes", r, CameraRecorder::preRollBytes).baseUnit("bytes")
                        .description("bytes of the camera's pre-roll held in memory").tag("camera", name).register(meters);
            }
            Gauge.builder("beeper.clips.stored.bytes", library, ClipLibrary::bytes).baseUnit("bytes")
                    .description("bytes of clips kept in the data folder").register(meters);
            FunctionCounter.builder("beeper.clips.deleted", this, f -> f.deletedByRetention)
                    .description("clips deleted by retention (recordings.maxAgeDays, recordings.maxBytes)").register(meters);
        }
    }

    @Override
    public String name() {
        return "recordings";
    }

    public boolean enabled() {
        return config.enabled();
    }

    public RecordingsConfig config() {
        return config;
    }

    @Override
    public void start() {
        if (!config.enabled()) {
            return;
        }
        try {
            library.load();
        } catch (IOException e) {
            throw new StartupException("cannot open the clips folder " + library.root().toAbsolutePath() + ": " + e
                    + ". Choose another data folder with --data DIR or data.dir in beeper.yaml, or set recordings.enabled: false.");
        }
        retention = Executors.newSingleThreadScheduledExecutor(Threads.daemon("clips-retention"));
        retention.scheduleWithFixedDelay(this::enforce, 0, RETENTION_EVERY_MS, TimeUnit.MILLISECONDS);
        recorders.forEach((name, r) -> {
            r.start();
            taps.tap(name, r);
        });
    }

    // --- triggers ---

    /** What a trigger got: taken, or why not. */
    public enum Outcome { RECORDING, NO_SUCH_CAMERA, OFF, NO_ROOM, BUSY }

    /**
     * Records {@code camera} from its pre-roll until {@code seconds} from now (a "record" click);
     * extends the clip it is recording.
     */
    public Outcome record(String camera, int seconds) {
        return trigger(camera, ClipKind.MANUAL, "record button", seconds * 1000L);
    }

    /** An alert fired: records the cameras of {@code recordings.alertCameras} (every camera when empty). */
    public void alert(String title) {
        List<String> names = config.alertCameraList().isEmpty() ? List.copyOf(recorders.keySet()) : config.alertCameraList();
        for (String name : names) {
            trigger(name, ClipKind.ALERT, title, config.alertSeconds() * 1000L);
        }
    }

    /**
     * Motion on {@code camera} started ({@code on}) or ended at {@code atMs} (epoch ms: when it began,
     * so the pre-roll reaches back from there; when the last picture with motion was): the clip lasts
     * while it does, plus the post-roll.
     */
    public void motion(String camera, boolean on, long atMs) {
        CameraRecorder r = recorders.get(camera);
        if (r == null || retention == null) {
            return;
        }
        if (on && !fits(0)) {
            return;
        }
        r.motion(on, atMs);
    }

    /** What {@link io.beeperkeeper.motion.MotionFeature} tells: each event's start and end record its camera. */
    public MotionListener motionListener() {
        return new MotionListener() {
            @Override
            public void started(MotionEvent e) {
                motion(e.camera(), true, e.start().toEpochMilli());
            }

            @Override
            public void ended(MotionEvent e) {
                motion(e.camera(), false, e.end().orElse(clock.instant()).toEpochMilli());
            }
        };
    }

    private Outcome trigger(String camera, ClipKind kind, String why, long forMs) {
        if (!config.enabled()) {
            return Outcome.OFF;
        }
        CameraRecorder r = recorders.get(camera);
        if (r == null) {
            return Outcome.NO_SUCH_CAMERA;
        }
        if (!fits(0)) {
            return Outcome.NO_ROOM;
        }
        long now = clock.millis();
        return r.trigger(kind, why, now, now + forMs) ? Outcome.RECORDING : Outcome.BUSY;
    }

    // --- the disk ---

    /** Whether {@code reserve} more bytes fit above the free-space floor (free space looked up at most once a second). */
    private boolean fits(long reserve) {
        long now = clock.millis();
        if (now - freeCheckedMs >= FREE_SPACE_CACHE_MS) {
            try {
                freeBytes = disk.freeBytes();
            } catch (IOException e) {
                freeBytes = 0;
                lastError = "cannot tell the free space of " + library.root() + ": " + e.getMessage();
            }
            freeCheckedMs = now;
        }
        boolean ok = freeBytes - reserve >= config.minFreeBytes();
        if (ok != !belowFloor) {
            belowFloor = !ok;
            if (belowFloor) {
                log.warn("clips: writing stopped, {} MB free on the data folder's disk is below recordings.minFreeBytes ({} MB)",
                        freeBytes / 1_000_000, config.minFreeBytes() / 1_000_000);
            } else {
                log.info("clips: writing again, {} MB free", freeBytes / 1_000_000);
            }
        }
        return ok;
    }

    private void finished(Clip c) {
        ScheduledExecutorService r = retention;
        if (r != null) {
            try {
                r.execute(this::enforce);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // the hub is stopping: retention runs at the next start
            }
        }
    }

    private void enforce() {
        try {
            int n = library.enforce(clock.instant(), config.maxAgeDays(), config.maxBytes());
            if (n > 0) {
                deletedByRetention += n;
                log.info("clips: {} old clips deleted (recordings.maxAgeDays {}, recordings.maxBytes {} MB)", n,
                        config.maxAgeDays(), config.maxBytes() / 1_000_000);
            }
        } catch (IOException | RuntimeException e) {
            lastError = "cannot delete old clips in " + library.root() + ": " + e.getMessage();
            log.warn("clips: {}", lastError);
        }
    }

    // --- the clips ---

    /** The cameras that record (all of them while recordings are on). */
    public List<String> cameraNames() {
        return List.copyOf(recorders.keySet());
    }

    /** Clips newest first, filtered by each argument given. */
    public List<Clip> clips(Optional<String> camera, Optional<LocalDate> day, Optional<ClipKind> kind) {
        return library.list(camera, day, kind);
    }

    public Optional<Clip> clip(String id) {
        return Clip.isId(id) ? library.get(id) : Optional.empty();
    }

    /**
     * The clip's MP4 (its header in front of its samples), if it is there.
     *
     * @throws IOException when its files cannot be read
     */
    public Optional<Mp4Movie> movie(String id) throws IOException {
        Optional<Clip> c = clip(id);
        return c.isEmpty() ? Optional.empty() : library.movie(c.get());
    }

    /** Bytes of all clips kept. */
    public long storedBytes() {
        return library.bytes();
    }

    /** Whether a camera is writing a clip right now. */
    public boolean recording(String camera) {
        CameraRecorder r = recorders.get(camera);
        return r != null && r.recording();
    }

    /** Whether writing is stopped for free space. */
    public boolean belowFloor() {
        return belowFloor;
    }

    /** Deletes a clip; false when there is none. */
    public boolean delete(String id) throws IOException {
        return Clip.isId(id) && library.delete(id);
    }

    /**
     * The clip's first keyframe as a JPEG (made the first time, then kept beside the clip).
     *
     * @throws IOException when ffmpeg cannot make it
     */
    public Optional<Path> thumbnail(String id) throws IOException {
        Optional<Clip> c = clip(id);
        if (c.isEmpty()) {
            return Optional.empty();
        }
        Path jpg = library.jpg(c.get());
        synchronized (thumbnails) { // one ffmpeg at a time, however many thumbnails the page asks for
            if (Files.exists(jpg)) {
                return Optional.of(jpg);
            }
            Optional<Mp4Movie> movie = library.movie(c.get());
            if (movie.isEmpty()) {
                return Optional.empty();
            }
            Path tmp = jpg.resolveSibling(jpg.getFileName() + ".tmp");
            firstPicture(id, movie.get(), tmp);
            Files.move(tmp, jpg, StandardCopyOption.ATOMIC_MOVE);
            if (library.get(id).isEmpty()) {
                Files.deleteIfExists(jpg); // deleted while the thumbnail was made
                return Optional.empty();
            }
            return Optional.of(jpg);
        }
    }

    /** ffmpeg reads the clip's MP4 from a pipe (it stops at its first picture) and writes that picture to {@code jpg}. */
    private void firstPicture(String id, Mp4Movie movie, Path jpg) throws IOException {
        Process p = new ProcessBuilder(ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-f", "mp4", "-i", "pipe:0",
                "-frames:v", "1", "-vf", "scale=320:-2", "-q:v", "5", "-f", "image2", "-c:v", "mjpeg", jpg.toString())
                .redirectErrorStream(true).start();
        Thread feed = Threads.start("clips-thumbnail", () -> {
            try (InputStream in = movie.open(); var out = p.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException done) {
                // ffmpeg closes the pipe once it has its picture
            }
        });
        try (InputStream out = p.getInputStream()) {
            byte[] said = out.readNBytes(4096);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.exists(jpg)) {
                throw new IOException("ffmpeg made no thumbnail of " + id + ": " + new String(said).trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } finally {
            p.destroyForcibly();
            feed.interrupt();
        }
    }

    @Override
    public List<HealthCheck> health() {
        return List.of(new HealthCheck("recordings", this::state));
    }

    private ComponentHealth state() {
        if (!config.enabled()) {
            return ComponentHealth.up("off (recordings.enabled: false)");
        }
        fits(0);
        if (belowFloor) {
            return ComponentHealth.degraded("writing stopped: " + freeBytes / 1_000_000 + " MB free on the data folder's disk, below "
                    + "recordings.minFreeBytes (" + config.minFreeBytes() / 1_000_000 + " MB); free space, lower recordings.maxBytes "
                    + "or delete clips");
        }
        String error = lastError;
        for (CameraRecorder r : recorders.values()) {
            if (!r.lastError().isEmpty()) {
                error = r.lastError();
            }
        }
        if (!error.isEmpty()) {
            return ComponentHealth.degraded(error);
        }
        StringBuilder sb = new StringBuilder(library.count() + " clips, " + library.bytes() / 1_000_000 + " MB of "
                + config.maxBytes() / 1_000_000 + " MB;");
        recorders.forEach((name, r) -> sb.append(' ').append(name).append(": pre-roll ")
                .append(String.format(java.util.Locale.ROOT, "%.1f s (%d kB)", r.preRollSeconds(), r.preRollBytes() / 1000))
                .append(r.recording() ? ", recording" : "").append(';'));
        sb.setLength(sb.length() - 1);
        return ComponentHealth.up(sb.toString());
    }

    @Override
    public void close() {
        taps.close();
        recorders.values().forEach(CameraRecorder::close);
        ScheduledExecutorService r = retention;
        retention = null;
        if (r != null) {
            r.shutdown();
            try {
                r.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

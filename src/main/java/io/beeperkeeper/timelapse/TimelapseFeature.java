package io.beeperkeeper.timelapse;

import io.beeperkeeper.media.mp4.Mp4Movie;
import io.beeperkeeper.config.TimelapseConfig;
import io.beeperkeeper.feature.Feature;
import io.beeperkeeper.feature.Threads;
import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.health.HealthCheck;
import io.beeperkeeper.media.Cameras;
import io.beeperkeeper.media.CameraTaps;
import io.beeperkeeper.media.VideoTrack;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time-lapse of every camera: a {@link KeyframeTap} on each camera's stream keeps the first
 * keyframe after each {@code timelapse.intervalSeconds} in the {@link KeyframeStore}
 * ({@code <data>/timelapse}), and once a day is over (midnight in the configured zone, checked every
 * few seconds and at start, so a day that ended while the hub was down is finished too) its files are
 * closed and days past {@code timelapse.retentionDays} deleted. A movie is made when asked for, as a
 * header in front of the kept keyframes ({@link Mp4Movie}): nothing is decoded, encoded or copied.
 *
 * <p>All disk work happens on one worker thread, so the camera's thread never waits for the SD card;
 * at most {@link #MAX_PENDING} keyframes wait for it (more are dropped and counted). Health entry
 * {@code timelapse}; meters {@code beeper_timelapse_*} per camera.
 */
public final class TimelapseFeature implements Feature {
    private static final Logger log = LoggerFactory.getLogger(TimelapseFeature.class);
    static final int MAX_PENDING = 8;
    private static final Pattern FILE = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})(?:-(\\d{1,4}))?\\.mp4");

    private final TimelapseConfig config;
    private final Cameras cameras;
    private final Clock clock;
    private final Duration checkEvery;
    private final KeyframeStore store;
    private final Map<String, Counts> counts = new LinkedHashMap<>();
    private final List<KeyframeTap> taps = new ArrayList<>();
    private final CameraTaps streams;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile ScheduledExecutorService worker;
    private volatile LocalDate finishedBefore = LocalDate.MIN;
    private volatile String lastError = "";

    /** What one camera's time-lapse has done since the hub started. */
    private static final class Counts {
        final AtomicLong kept = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        volatile Instant lastKept = Instant.EPOCH;
    }

    /**
     * @param zone whose midnight ends a day ({@code history.timeZone})
     */
    public TimelapseFeature(TimelapseConfig config, Cameras cameras, Path dataDir, ZoneId zone, Clock clock, MeterRegistry meters) {
        this(config, cameras, dataDir, zone, clock, meters, Duration.ofSeconds(5));
    }

    TimelapseFeature(TimelapseConfig config, Cameras cameras, Path dataDir, ZoneId zone, Clock clock, MeterRegistry meters,
                     Duration checkEvery) {
        this.config = config;
        this.cameras = cameras;
        this.clock = clock;
        this.checkEvery = checkEvery;
        this.store = new KeyframeStore(dataDir.resolve("timelapse"), zone, config.fps());
        this.streams = new CameraTaps(cameras);
        if (config.enabled()) {
            for (String name : cameras.names()) {
                Counts c = new Counts();
                counts.put(name, c);
                FunctionCounter.builder("beeper.timelapse.keyframes", c, x -> x.kept.get())
                        .description("keyframes kept for the camera's time-lapse").tag("camera", name).register(meters);
                FunctionCounter.builder("beeper.timelapse.written", c, x -> x.bytes.get()).baseUnit("bytes")
                        .description("bytes of kept keyframes and their index written to the data folder").tag("camera", name).register(meters);
                FunctionCounter.builder("beeper.timelapse.write.errors", c, x -> x.errors.get())
                        .description("keyframes that could not be written (a full or failing disk)").tag("camera", name).register(meters);
            }
            FunctionCounter.builder("beeper.timelapse.keyframes.dropped", this, f -> f.taps.stream().mapToLong(KeyframeTap::dropped).sum())
                    .description("keyframes not kept because the disk was too slow to take them").register(meters);
        }
    }

    @Override
    public String name() {
        return "timelapse";
    }

    public boolean enabled() {
        return config.enabled();
    }

    public TimelapseConfig config() {
        return config;
    }

    @Override
    public void start() {
        if (!config.enabled()) {
            return;
        }
        worker = Executors.newSingleThreadScheduledExecutor(Threads.daemon("timelapse"));
        worker.scheduleWithFixedDelay(this::endDays, 0, checkEvery.toMillis(), TimeUnit.MILLISECONDS);
        for (String name : cameras.names()) {
            KeyframeTap tap = new KeyframeTap(name, clock, config.intervalSeconds(), this::offer);
            taps.add(tap);
            streams.tap(name, tap);
        }
    }

    private boolean offer(String camera, VideoTrack track, List<byte[]> nals, Instant takenAt) {
        ScheduledExecutorService w = worker;
        if (w == null || pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            return false;
        }
        try {
            w.execute(() -> {
                pending.decrementAndGet();
                keep(camera, track, nals, takenAt);
            });
            return true;
        } catch (RejectedExecutionException e) {
            pending.decrementAndGet();
            return false; // closing
        }
    }

    private void keep(String camera, VideoTrack track, List<byte[]> nals, Instant takenAt) {
        Counts c = counts.get(camera);
        try {
            long bytes = store.append(camera, track.sps(), track.pps(), nals, takenAt);
            c.kept.incrementAndGet();
            c.bytes.addAndGet(bytes);
            c.lastKept = takenAt;
            lastError = "";
        } catch (IOException | RuntimeException e) {
            c.errors.incrementAndGet();
            String was = lastError;
            lastError = "cannot keep " + camera + "'s keyframe in " + store.root() + ": " + e.getMessage()
                    + "; free space on the disk or choose another data.dir";
            if (!lastError.equals(was)) {
                log.warn("time-lapse: {}", lastError);
            }
        }
    }

    /** Writes what waited too long for its page, finishes the days that are over and deletes the ones past retention; on the worker. */
    private void endDays() {
        store.flushStale(clock.instant());
        LocalDate today = store.dayOf(clock.instant());
        if (!today.isAfter(finishedBefore)) {
            return;
        }
        store.closeDaysBefore(today);
        int deleted = store.deleteDaysBefore(today.minusDays(config.retentionDays()));
        if (deleted > 0) {
            log.info("time-lapse: {} days older than {} days deleted", deleted, config.retentionDays());
        }
        finishedBefore = today;
    }

    /** The cameras that have a time-lapse (all of them while it is on). */
    public List<String> cameraNames() {
        return List.copyOf(counts.keySet());
    }

    public LocalDate today() {
        return store.dayOf(clock.instant());
    }

    /** The camera's days, newest first. */
    public List<TimelapseDay> days(String camera) {
        return counts.containsKey(camera) ? store.days(camera, today()) : List.of();
    }

    /** Yesterday's movie of the camera (the longest one when it has several), if it has one. */
    public Optional<TimelapseDay.Movie> yesterday(String camera) {
        LocalDate y = today().minusDays(1);
        return days(camera).stream().filter(d -> d.day().equals(y)).findFirst()
                .flatMap(d -> d.movies().stream().max((a, b) -> Integer.compare(a.frames(), b.frames())));
    }

    /** Whether {@code file} names a movie the way the page does ({@code 2026-12-01.mp4}, {@code 2026-12-01-2.mp4}). */
    public static boolean isMovieName(String file) {
        return FILE.matcher(file).matches();
    }

    /**
     * A movie of the camera, from what is kept now (today's has every keyframe kept so far).
     *
     * @param file as listed ({@link TimelapseDay.Movie#file()})
     * @return empty when there is no such camera, day or part
     * @throws IOException when the kept keyframes cannot be read
     */
    public Optional<Mp4Movie> movie(String camera, String file) throws IOException {
        Matcher m = FILE.matcher(file);
        if (!counts.containsKey(camera) || !m.matches()) {
            return Optional.empty();
        }
        LocalDate day;
        try {
            day = LocalDate.parse(m.group(1));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
        int part = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
        return store.movie(camera, day, part);
    }

    @Override
    public List<HealthCheck> health() {
        return List.of(new HealthCheck("timelapse", this::state));
    }

    private ComponentHealth state() {
        if (!config.enabled()) {
            return ComponentHealth.up("off (timelapse.enabled: false)");
        }
        String error = lastError;
        if (!error.isEmpty()) {
            return ComponentHealth.degraded(error);
        }
        StringBuilder sb = new StringBuilder("a keyframe every " + config.intervalSeconds() + " s, played at " + config.fps() + " fps;");
        Instant now = clock.instant();
        counts.forEach((name, c) -> sb.append(' ').append(name).append(": ").append(c.kept.get()).append(" kept")
                .append(c.kept.get() == 0 ? "" : ", last " + Math.max(0, Duration.between(c.lastKept, now).toSeconds()) + " s ago")
                .append(';'));
        sb.setLength(sb.length() - 1);
        return ComponentHealth.up(sb.toString());
    }

    @Override
    public void close() {
        streams.close();
        ScheduledExecutorService w = worker;
        worker = null;
        if (w != null) {
            w.shutdown();
            try {
                if (!w.awaitTermination(30, TimeUnit.SECONDS)) {
                    w.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            store.close(); // on this thread once the worker is done: nothing appends any more
        }
    }
}

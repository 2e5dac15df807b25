package io.beeperkeeper.media;

import io.beeperkeeper.feature.Threads;
import io.beeperkeeper.media.camera.CameraSupervisor;
import io.beeperkeeper.media.hls.LlHlsStream;
import io.beeperkeeper.media.mp4.FragmentCache;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What the cameras' outputs share, owned by {@link MediaFeature}: an LL-HLS stream per camera (and
 * the two threads that complete its waiting requests), the fMP4 fragment cache per camera (muxed once
 * for every MSE viewer), the {@link ViewerRegistry} and its write-deadline sweeper, the connection
 * rate limit, who watches LL-HLS ({@link RecentClients}), JPEG snapshots, and the outputs other
 * features add ({@code whep}). The web adapter
 * ({@code web/media}) only parses requests and answers from here. Built without I/O; {@link #start}
 * subscribes and starts the threads.
 */
public final class MediaOutputs implements AutoCloseable {
    private final Cameras cameras;
    private final Snapshots snapshots;
    private final ConnectRate connectRate;
    private final Clock clock;
    private final ViewerRegistry viewers = new ViewerRegistry();
    private final Map<String, LlHlsStream> hls = new ConcurrentHashMap<>();
    private final Map<String, FragmentCache> fragments = new ConcurrentHashMap<>();
    private final Map<String, RecentClients> hlsClients = new ConcurrentHashMap<>();
    private final Map<String, Function<String, String>> extraOutputs = new ConcurrentSkipListMap<>();
    private final List<Stream.Subscription> hlsSubscriptions = new ArrayList<>();
    private ScheduledExecutorService sweeper;
    private ExecutorService hlsCompleter;

    /** @param clock paces the connection rate limit; numbers the LL-HLS segments (never reused across runs) */
    public MediaOutputs(Cameras cameras, Clock clock) {
        this.cameras = cameras;
        this.clock = clock;
        this.snapshots = new Snapshots(cameras.media().ffmpeg());
        this.connectRate = new ConnectRate(cameras.media().maxConnectsPerSecond(), clock);
    }

    public synchronized void start() {
        if (sweeper != null) {
            return;
        }
        sweeper = Executors.newSingleThreadScheduledExecutor(Threads.daemon("mse-write-deadline"));
        hlsCompleter = Executors.newFixedThreadPool(2, Threads.daemon("ll-hls"));
        double seconds = cameras.media().writeDeadlineSeconds();
        long deadline = (long) (seconds * 1e9);
        sweeper.scheduleWithFixedDelay(() -> viewers.sweep(deadline, seconds), 1, 1, TimeUnit.SECONDS);
        for (CameraSupervisor cam : cameras.all()) {
            LlHlsStream h = new LlHlsStream(hlsCompleter, LlHlsStream.firstMsn(clock));
            hls.put(cam.name(), h);
            hlsSubscriptions.add(cam.stream().subscribe(h));
        }
        sweeper.scheduleWithFixedDelay(() -> hls.values().forEach(LlHlsStream::forgetDone), 5, 5, TimeUnit.SECONDS);
    }

    public Cameras cameras() {
        return cameras;
    }

    public ViewerRegistry viewers() {
        return viewers;
    }

    /** Takes a token for a new viewer connection from this client address ({@code media.maxConnectsPerSecond}). */
    public boolean allowConnect(String clientAddress) {
        return connectRate.allow(clientAddress);
    }

    public Optional<LlHlsStream> hls(String camera) {
        return Optional.ofNullable(hls.get(camera));
    }

    /** Notes an LL-HLS playlist request of a camera's viewer ({@code client}: its address and player). */
    public void hlsRequest(String camera, String client) {
        hlsClients.computeIfAbsent(camera, n -> new RecentClients()).seen(client);
    }

    /** LL-HLS viewers of a camera: clients whose playlist requests keep coming. */
    public int hlsViewers(String camera) {
        RecentClients c = hlsClients.get(camera);
        return c == null ? 0 : c.count();
    }

    /** The camera's fragment cache, shared by its MSE viewers. */
    public FragmentCache fragments(String camera) {
        return fragments.computeIfAbsent(camera, n -> new FragmentCache());
    }

    /** A JPEG of the camera's latest keyframe; empty while it has no picture. */
    public Optional<byte[]> snapshot(Stream stream) throws IOException, InterruptedException {
        return snapshots.get(stream);
    }

    /**
     * Another output served elsewhere (e.g. {@code whep} by WebRTC): listed under {@code outputs} in
     * {@code /api/cameras}, so the page tries it.
     *
     * @param urlForCamera camera name to the output's URL path
     */
    public void addOutput(String key, Function<String, String> urlForCamera) {
        extraOutputs.put(key, urlForCamera);
    }

    /** The added outputs of a camera, key to URL path. */
    public Map<String, String> extraOutputs(String camera) {
        Map<String, String> out = new LinkedHashMap<>();
        extraOutputs.forEach((key, url) -> out.put(key, url.apply(camera)));
        return out;
    }

    @Override
    public synchronized void close() {
        if (sweeper != null) {
            sweeper.shutdownNow();
            hlsCompleter.shutdownNow();
        }
        hlsSubscriptions.forEach(Stream.Subscription::close);
        hlsSubscriptions.clear();
        viewers.closeAll();
    }
}

package io.beeperkeeper.media.camera;

import io.beeperkeeper.config.CameraConfig;
import io.beeperkeeper.config.MediaConfig;
import io.beeperkeeper.media.AudioTrack;
import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.MediaKind;
import io.beeperkeeper.media.Stream;
import io.beeperkeeper.media.Tracks;
import io.beeperkeeper.media.VideoTrack;
import io.beeperkeeper.media.audio.AdtsReader;
import io.beeperkeeper.media.audio.AudioPacketSink;
import io.beeperkeeper.media.audio.OggOpusReader;
import io.beeperkeeper.media.h264.AccessUnit;
import io.beeperkeeper.media.h264.AnnexBReader;
import io.beeperkeeper.media.h264.Sps;
import io.beeperkeeper.media.h264.SpsRewriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Runs one camera's process and turns its output into {@link Frame}s on the camera's
 * {@link Stream}. The process is restarted whenever it exits, cannot start, or hangs (no frame for
 * {@code media.hangSeconds}, or {@code media.firstFrameSeconds} after a start), with a backoff of 1 s doubling to {@code media.maxRestartSeconds},
 * forever; the backoff resets once the camera has been live for a minute. Its stderr goes to the log
 * under the camera's name and its last line becomes the offline reason.
 *
 * <p>Timestamps: video frames are stamped with their arrival time on the stream clock (a monotonic
 * clock that runs across restarts); audio packets continue from their first arrival by their sample
 * counts, re-anchored when they fall more than 60 ms behind arrival (or run 200 ms ahead).
 */
public final class CameraSupervisor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CameraSupervisor.class);
    private static final long RESET_BACKOFF_AFTER_LIVE_MS = 60_000;

    private final String name;
    private final CameraConfig config;
    private final MediaConfig media;
    private final Stream stream;
    private final Function<String, CameraCommand> commandFactory;
    private final Clock clock;
    private final long originNanos = System.nanoTime();
    private final Thread thread;
    private final UnaryOperator<byte[]> spsInput;

    private volatile java.util.function.Consumer<CameraState> stateListener = s -> { };
    private volatile io.beeperkeeper.media.PcmListener pcmListener;
    private volatile boolean stopped;
    private volatile CameraState state;
    private volatile Process process;
    private volatile long startedAtMs;
    private volatile long lastFrameMs = -1;
    private final java.util.concurrent.atomic.AtomicLong watchdogChecks = new java.util.concurrent.atomic.AtomicLong();
    private volatile String hangReason;
    private int restarts;

    // Per-run state, touched by the reader threads of the current process.
    private volatile VideoTrack pendingVideo;
    private volatile AudioTrack pendingAudio;
    private volatile boolean sawBSlice;
    private long lastVideoUs = -1;
    private long audioNextUs = -1;

    /**
     * @param commandFactory builds the process for an audio URL ({@link CameraCommand#build} in
     *                       production; tests pass commands that fail or hang)
     */
    public CameraSupervisor(String name, CameraConfig config, MediaConfig media, Stream stream,
                            Function<String, CameraCommand> commandFactory, Clock clock) {
        this(name, config, media, stream, commandFactory, clock, UnaryOperator.identity());
    }

    /**
     * @param spsInput applied to each SPS as it comes from the camera (the benchmark strips the VUI
     *                 to behave like a hardware encoder); identity in production
     */
    public CameraSupervisor(String name, CameraConfig config, MediaConfig media, Stream stream,
                            Function<String, CameraCommand> commandFactory, Clock clock, UnaryOperator<byte[]> spsInput) {
        this.spsInput = spsInput;
        this.name = name;
        this.config = config;
        this.media = media;
        this.stream = stream;
        this.commandFactory = commandFactory;
        this.clock = clock;
        this.state = new CameraState(CameraState.Status.STARTING, "not started yet", clock.instant(), 0);
        this.thread = new Thread(this::superviseForever, "camera-" + name);
        this.thread.setDaemon(true);
    }

    public static CameraSupervisor forConfig(String name, CameraConfig config, MediaConfig media, Stream stream) {
        return new CameraSupervisor(name, config, media, stream,
                audioUrl -> CameraCommand.build(config, media.ffmpeg(), audioUrl), SteadyClock.create());
    }

    public void start() {
        thread.start();
    }

    /** Taps this camera's audio as PCM for a level meter (from the next process start on). */
    public void setPcmListener(io.beeperkeeper.media.PcmListener listener) {
        this.pcmListener = listener;
    }

    public String name() {
        return name;
    }

    public CameraConfig config() {
        return config;
    }

    public Stream stream() {
        return stream;
    }

    public CameraState state() {
        return state;
    }

    /** Called (on the camera's thread) whenever the status changes; must not block. */
    public void onStateChange(java.util.function.Consumer<CameraState> listener) {
        this.stateListener = listener;
    }

    /** The process's PID while one runs (tests kill it), else -1. */
    public long pid() {
        Process p = process;
        return p != null && p.isAlive() ? p.pid() : -1;
    }

    @Override
    public void close() {
        stopped = true;
        Process p = process;
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        thread.interrupt();
        try {
            thread.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (p != null && p.isAlive()) {
            kill(p);
        }
        stream.close();
    }

    private void setState(CameraState.Status status, String reason) {
        CameraState old = state;
        state = new CameraState(status, reason, old.status() == status ? old.since() : clock.instant(), restarts);
        if (old.status() != status) {
            log.info("camera {}: {}{}", name, status.name().toLowerCase(), reason == null ? "" : " (" + reason + ")");
            try {
                stateListener.accept(state);
            } catch (RuntimeException e) {
                log.warn("camera {}: state listener failed: {}", name, e.toString());
            }
        }
    }

    private void superviseForever() {
        long backoffMs = 1000;
        while (!stopped) {
            long startedAt = System.currentTimeMillis();
            String reason = runOnce();
            if (stopped) {
                break;
            }
            boolean wasLiveLong = state.status() == CameraState.Status.LIVE
                    && System.currentTimeMillis() - startedAt > RESET_BACKOFF_AFTER_LIVE_MS;
            if (wasLiveLong) {
                backoffMs = 1000;
            }
            restarts++;
            setState(CameraState.Status.OFFLINE, reason + "; restarting in " + backoffMs / 1000.0 + " s");
            log.warn("camera {}: {}; restart {} in {} ms", name, reason, restarts, backoffMs);
            try {
                Thread.sleep(backoffMs);
            } catch (InterruptedException e) {
                break;
            }
            backoffMs = Math.min(backoffMs * 2, (long) (media.maxRestartSeconds() * 1000));
        }
        setState(CameraState.Status.OFFLINE, "stopped");
    }

    /** Runs the process once; returns why it ended. */
    private String runOnce() {
        setState(CameraState.Status.STARTING, "starting " + config.source());
        pendingVideo = null;
        pendingAudio = null;
        sawBSlice = false;
        ServerSocket audioServer = null;
        ServerSocket pcmServer = null;
        Thread audioThread = null;
        ArrayDeque<String> lastLines = new ArrayDeque<>();
        try {
            String audioUrl = null;
            if (config.hasAudio()) {
                audioServer = loopbackListener();
                audioUrl = "tcp://127.0.0.1:" + audioServer.getLocalPort();
            }
            CameraCommand command = commandFactory.apply(audioUrl);
            io.beeperkeeper.media.PcmListener pcm = pcmListener;
            if (pcm != null && audioUrl != null && command.audioMap() != null) {
                pcmServer = loopbackListener();
                command = command.withPcmTap("tcp://127.0.0.1:" + pcmServer.getLocalPort());
            }
            Process p;
            try {
                p = new ProcessBuilder(command.argv()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            } catch (IOException e) {
                return "cannot start " + command.argv().get(0) + ": " + rootMessage(e)
                        + (command.argv().get(0).equals("rpicam-vid") ? " (install rpicam-apps, or use source: test)" : "");
            }
            process = p;
            lastFrameMs = -1;
            startedAtMs = clock.millis();
            Thread err = new Thread(() -> pumpStderr(p.getErrorStream(), lastLines), "camera-" + name + "-stderr");
            err.setDaemon(true);
            err.start();
            Thread watchdog = new Thread(() -> watch(p), "camera-" + name + "-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            if (audioServer != null) {
                ServerSocket server = audioServer;
                String format = command.audioFormat();
                audioThread = new Thread(() -> readAudio(server, format, p), "camera-" + name + "-audio");
                audioThread.setDaemon(true);
                audioThread.start();
            }
            if (pcmServer != null) {
                ServerSocket server = pcmServer;
                Thread pcmThread = new Thread(() -> readPcm(server, pcm), "camera-" + name + "-pcm");
                pcmThread.setDaemon(true);
                pcmThread.start();
            }
            AnnexBReader reader = new AnnexBReader(this::onAccessUnit);
            try (InputStream in = p.getInputStream()) {
                reader.run(in);
            } catch (IOException e) {
                log.debug("camera {}: video pipe closed: {}", name, e.toString());
            }
            if (!p.waitFor(3, TimeUnit.SECONDS)) {
                kill(p);
            }
            watchdog.interrupt();
            err.join(1000);
            String hang = hangReason;
            hangReason = null;
            if (hang != null) {
                return hang;
            }
            String last;
            synchronized (lastLines) {
                last = lastLines.peekLast();
            }
            return "process exited with code " + p.exitValue() + (last == null ? "" : ": " + last);
        } catch (IOException e) {
            return "cannot start: " + rootMessage(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            stream.interrupted();
            Process p = process;
            if (p != null) {
                kill(p);
            }
            process = null;
            closeQuietly(audioServer);
            closeQuietly(pcmServer);
            if (audioThread != null) {
                audioThread.interrupt();
            }
        }
    }

    /**
     * Kills a process that sends no frame: before its first frame it gets {@code media.firstFrameSeconds}
     * (starting an encoder on a loaded Pi takes seconds), afterwards {@code media.hangSeconds} between
     * frames.
     */
    private void watch(Process p) {
        long hangMs = (long) (media.hangSeconds() * 1000);
        long firstFrameMs = (long) (media.firstFrameSeconds() * 1000);
        while (p.isAlive() && !stopped) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
            long last = lastFrameMs;
            long now = clock.millis();
            if (last < 0 && now - startedAtMs > firstFrameMs) {
                hangReason = "no frame for " + media.firstFrameSeconds() + " s after the process started"
                        + " (hung, or slower to start than media.firstFrameSeconds)";
                kill(p);
                return;
            }
            if (last >= 0 && now - last > hangMs) {
                hangReason = "no frame for " + media.hangSeconds() + " s (process hung)";
                kill(p);
                return;
            }
            watchdogChecks.incrementAndGet();
        }
    }

    /** How many times the watchdog has looked at the current process and let it run (tests wait on it). */
    long watchdogChecks() {
        return watchdogChecks.get();
    }

    private void pumpStderr(InputStream err, ArrayDeque<String> lastLines) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String trimmed = line.length() > 300 ? line.substring(0, 300) + "..." : line;
                log.warn("camera {}: {}", name, trimmed);
                synchronized (lastLines) {
                    lastLines.addLast(trimmed);
                    if (lastLines.size() > 5) {
                        lastLines.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // process gone
        }
    }

    private long nowUs() {
        return (System.nanoTime() - originNanos) / 1000;
    }

    private void onAccessUnit(AccessUnit au) {
        if (au.hasBSlice() && !sawBSlice) {
            sawBSlice = true;
            if (media.noReorderSps()) {
                log.warn("camera {}: stream has B-frames; the SPS is passed on unchanged (expect more latency)", name);
            }
        }
        if (au.sps() != null && au.pps() != null) {
            try {
                pendingVideo = videoTrack(spsInput.apply(au.sps()), au.pps());
            } catch (IllegalArgumentException e) {
                log.warn("camera {}: ignoring bad SPS: {}", name, e.getMessage());
            }
        }
        VideoTrack video = pendingVideo;
        if (video == null) {
            return; // wait for the first keyframe with parameter sets
        }
        if (!stream.tracks().map(t -> t.video().equals(video)).orElse(false) || audioChanged()) {
            if (!au.keyframe()) {
                return;
            }
            if (config.hasAudio() && pendingAudio == null) {
                return; // a player needs both tracks in its init segment: wait for the audio header
            }
            stream.publishTracks(Tracks.of(video, config.hasAudio() ? pendingAudio : null));
        }
        long now = nowUs();
        long t = lastVideoUs < 0 ? now : Math.max(now, lastVideoUs + 1000);
        lastVideoUs = t;
        long duration = (long) (1_000_000 / video.fps());
        stream.publish(new Frame(MediaKind.VIDEO, t, duration, au.keyframe(), au.nals(), System.currentTimeMillis()));
        lastFrameMs = clock.millis();
        if (state.status() != CameraState.Status.LIVE) {
            setState(CameraState.Status.LIVE, video.width() + "x" + video.height() + " " + video.codecString());
        }
    }

    private boolean audioChanged() {
        if (!config.hasAudio()) {
            return false;
        }
        AudioTrack a = pendingAudio;
        return a != null && !stream.tracks().flatMap(Tracks::audio).map(a::equals).orElse(false);
    }

    private VideoTrack videoTrack(byte[] spsNal, byte[] pps) {
        Sps sps = Sps.parse(spsNal);
        if (sps.width() < 16 || sps.width() > 8192 || sps.height() < 16 || sps.height() > 8192) {
            throw new IllegalArgumentException("implausible picture size " + sps.width() + "x" + sps.height());
        }
        byte[] sent = media.noReorderSps() && !sawBSlice ? SpsRewriter.withoutReordering(spsNal) : spsNal;
        double fps = sps.fps() > 0 && sps.fps() <= 240 ? sps.fps() : config.fps();
        return new VideoTrack(sps.codecString(), sps.profileIdc(), sps.levelIdc(), sps.width(), sps.height(), fps, sent, pps);
    }

    /** A one-connection loopback port for an extra ffmpeg output; a process that never connects times out. */
    private ServerSocket loopbackListener() throws IOException {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        server.setSoTimeout((int) (media.firstFrameSeconds() * 1000));
        return server;
    }

    /** Hands the decoded audio to the level meter until the process ends; a meter failure is logged, never fatal. */
    private void readPcm(ServerSocket server, io.beeperkeeper.media.PcmListener listener) {
        try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) > 0; ) {
                try {
                    listener.onPcm(buf, 0, n);
                } catch (RuntimeException e) {
                    log.warn("camera {}: audio level meter failed: {}", name, e.toString());
                }
            }
        } catch (IOException e) {
            log.debug("camera {}: PCM tap ended: {}", name, e.toString());
        }
    }

    private void readAudio(ServerSocket server, String format, Process p) {
        try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
            AudioPacketSink sink = new AudioPacketSink() {
                @Override
                public void onTrack(AudioTrack track) {
                    pendingAudio = track;
                    audioNextUs = -1;
                }

                @Override
                public void onPacket(byte[] packet, int samples) {
                    onAudio(packet, samples);
                }
            };
            if ("ogg".equals(format)) {
                new OggOpusReader(sink).run(in);
            } else {
                new AdtsReader(sink).run(in);
            }
        } catch (SocketTimeoutException e) {
            log.warn("camera {}: the camera process never connected its audio output", name);
            kill(p);
        } catch (IOException e) {
            if (p.isAlive() && !stopped) {
                log.warn("camera {}: audio stream failed: {}", name, e.getMessage());
                kill(p);
            }
        }
    }

    private void onAudio(byte[] packet, int samples) {
        AudioTrack a = pendingAudio;
        if (a == null || stream.tracks().flatMap(Tracks::audio).filter(a::equals).isEmpty()) {
            return;
        }
        long duration = samples * 1_000_000L / a.timescale();
        long now = nowUs();
        long lateness = now - duration - audioNextUs;
        // Keep audio stamps within 60 ms of arrival: stamps that lag would hold the player's buffered
        // end (the intersection of both tracks) back, and with it the video.
        if (audioNextUs < 0 || lateness > 60_000 || lateness < -200_000) {
            audioNextUs = Math.max(0, now - duration);
        }
        long t = audioNextUs;
        audioNextUs += duration;
        stream.publish(new Frame(MediaKind.AUDIO, t, duration, true, List.of(packet), System.currentTimeMillis()));
    }

    /**
     * Kills the process and its children: a wrapper script's children would otherwise keep the
     * video pipe open and the reader would never see the end.
     */
    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    private static void closeQuietly(ServerSocket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    @Override
    public String toString() {
        return "camera " + name + " (" + config.source() + ", " + state.label() + ")";
    }

    /** For tests and health: when the latest frame was published. */
    public Instant lastFrameAt() {
        Frame f = stream.lastVideoFrame();
        return f == null ? null : Instant.ofEpochMilli(f.receivedAtMs());
    }
}

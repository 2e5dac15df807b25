package io.beeperkeeper.media.camera;

import io.beeperkeeper.config.CameraConfig;
import io.beeperkeeper.config.MediaConfig;
import io.beeperkeeper.media.PcmListener;
import io.beeperkeeper.media.Stream;
import io.beeperkeeper.media.VideoTrack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One camera: its process kept running by a {@link ProcessSupervisor} (restarts with backoff, forever;
 * watchdog), its output turned into frames on the camera's {@link Stream} by {@link VideoIngest} and
 * {@link AudioIngest} (the audio over a {@link LoopbackTap}, and another tap for the sound-level
 * meter's PCM), and its {@link CameraState} for health and the page. A software-encoded camera can
 * be asked for another {@link VideoEncoding} ({@link #reencode}): its process is restarted on purpose
 * with the new frame rate and size, which viewers take as a new set of tracks.
 */
public final class CameraSupervisor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CameraSupervisor.class);

    private final String name;
    private final CameraConfig config;
    private final MediaConfig media;
    private final Stream stream;
    private final Command commandFactory;
    private final Clock clock;
    private final AudioIngest audio;
    private final VideoIngest video;
    private final ProcessSupervisor process;

    private volatile Consumer<CameraState> stateListener = s -> { };
    private volatile PcmListener pcmListener;
    private volatile CameraState state;
    private volatile boolean stopping;
    private volatile Lowered target;
    private volatile VideoEncoding running;

    /** Builds a camera's process for an audio URL (null without audio) and the encoding asked for. */
    @FunctionalInterface
    public interface Command {
        CameraCommand build(String audioUrl, VideoEncoding encoding);
    }

    /**
     * The encoding asked for and why it is below the configured one (empty {@code why} when it is the
     * configured one).
     */
    public record Lowered(VideoEncoding encoding, String why) {
    }

    /**
     * @param commandFactory builds the process for an audio URL ({@link CameraCommand#build} in
     *                       production; tests pass commands that fail or hang)
     * @param clock          measures every deadline and stamps the frames ({@link SteadyClock} in production)
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
        this(name, config, media, stream, (url, encoding) -> commandFactory.apply(url), clock, spsInput);
    }

    /** @param command builds each start's process for the encoding asked for at that time */
    public CameraSupervisor(String name, CameraConfig config, MediaConfig media, Stream stream,
                            Command command, Clock clock, UnaryOperator<byte[]> spsInput) {
        this.name = name;
        this.config = config;
        this.media = media;
        this.stream = stream;
        this.commandFactory = command;
        this.clock = clock;
        this.target = new Lowered(VideoEncoding.of(config), "");
        this.running = VideoEncoding.of(config);
        this.state = new CameraState(CameraState.Status.STARTING, "not started yet", clock.instant(), 0);
        StreamClock time = StreamClock.startingNow(clock);
        this.audio = new AudioIngest(stream, time);
        this.video = new VideoIngest(name, config, media, stream, time, audio, spsInput, this::onFrame);
        this.process = new ProcessSupervisor(name, media, clock, this::prepare, new ProcessSupervisor.Listener() {
            @Override
            public void starting(int restarts, boolean quiet) {
                setState(CameraState.Status.STARTING, "starting " + config.source(), restarts, quiet);
            }

            @Override
            public void offline(String reason, int restarts, boolean quiet) {
                setState(CameraState.Status.OFFLINE, reason, restarts, quiet);
            }
        }, this::cannotStart);
    }

    public static CameraSupervisor forConfig(String name, CameraConfig config, MediaConfig media, Stream stream) {
        return new CameraSupervisor(name, config, media, stream,
                (audioUrl, encoding) -> CameraCommand.build(config, media.ffmpeg(), audioUrl, encoding),
                SteadyClock.create(), UnaryOperator.identity());
    }

    public void start() {
        process.start();
    }

    /** Taps this camera's audio as PCM for a level meter (from the next process start on). */
    public void setPcmListener(PcmListener listener) {
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

    /** The encoding asked for, and why it is lowered ({@code why} empty at the configured one). */
    public Lowered encoding() {
        return target;
    }

    /**
     * Asks a software-encoded camera for another frame rate and size: its process is restarted on
     * purpose with them (not counted as a restart), or takes them at its next start. A hardware-encoded
     * or copied camera is never re-encoded: the call is refused.
     *
     * @param why shown with the camera while the encoding is below the configured one, empty otherwise
     * @return false when this camera is not software-encoded
     */
    public boolean reencode(VideoEncoding encoding, String why) {
        if (!config.softwareEncoded()) {
            return false;
        }
        Lowered old = target;
        target = new Lowered(encoding, encoding.equals(VideoEncoding.of(config)) ? "" : why);
        if (!encoding.equals(old.encoding())) {
            process.restartNow(old.encoding() + " -> " + encoding);
        }
        return true;
    }

    /** NAL units from the camera skipped as malformed (garbage on its video pipe), for health. */
    public long malformedUnits() {
        return video.malformedUnits();
    }

    /** Called (on the camera's thread) whenever the status changes; must not block. */
    public void onStateChange(Consumer<CameraState> listener) {
        this.stateListener = listener;
    }

    /** The process's PID while one runs (tests kill it), else -1. */
    public long pid() {
        return process.pid();
    }

    /** The wait before the next start, were the process to fail now. */
    long backoffMs() {
        return process.backoffMs();
    }

    long watchdogChecks() {
        return process.watchdogChecks();
    }

    @Override
    public void close() {
        stopping = true;
        process.close();
        setState(CameraState.Status.OFFLINE, "stopped", state.restarts(), false);
        stream.close();
    }

    /** One start: the loopback taps this camera needs, then its command. */
    private ProcessSupervisor.Run prepare() throws IOException {
        video.reset();
        audio.reset();
        // an encoder that is slow to start is as slow to connect its outputs
        Duration connectWithin = Duration.ofMillis((long) (media.firstFrameSeconds() * 1000));
        LoopbackTap audioTap = config.hasAudio() ? LoopbackTap.open(connectWithin) : null;
        LoopbackTap pcmTap = null;
        try {
            VideoEncoding encoding = target.encoding();
            CameraCommand command = commandFactory.build(audioTap == null ? null : audioTap.url(), encoding);
            running = encoding;
            PcmListener pcm = pcmListener;
            if (pcm != null && audioTap != null && command.audioMap() != null) {
                pcmTap = LoopbackTap.open(connectWithin);
                command = command.withPcmTap(pcmTap.url());
            }
            return new Start(command, audioTap, pcmTap, pcm);
        } catch (IOException | RuntimeException e) {
            if (audioTap != null) {
                audioTap.close();
            }
            if (pcmTap != null) {
                pcmTap.close();
            }
            throw e;
        }
    }

    /** One running process of this camera and its taps. */
    private final class Start implements ProcessSupervisor.Run {
        private final CameraCommand command;
        private final LoopbackTap audioTap;
        private final LoopbackTap pcmTap;
        private final PcmListener pcm;

        Start(CameraCommand command, LoopbackTap audioTap, LoopbackTap pcmTap, PcmListener pcm) {
            this.command = command;
            this.audioTap = audioTap;
            this.pcmTap = pcmTap;
            this.pcm = pcm;
        }

        @Override
        public List<String> argv() {
            return command.argv();
        }

        @Override
        public void consume(Process p) throws IOException {
            if (audioTap != null) {
                audioTap.start("camera-" + name + "-audio", in -> audio.read(in, command.audioFormat()), new LoopbackTap.Failure() {
                    @Override
                    public void neverConnected() {
                        log.warn("camera {}: the camera process never connected its audio output", name);
                        ProcessSupervisor.kill(p);
                    }

                    @Override
                    public void failed(IOException e) {
                        if (p.isAlive()) {
                            log.warn("camera {}: audio stream failed: {}", name, e.getMessage());
                            ProcessSupervisor.kill(p);
                        }
                    }
                });
            }
            if (pcmTap != null) {
                pcmTap.start("camera-" + name + "-pcm", this::feedMeter, new LoopbackTap.Failure() {
                    @Override
                    public void neverConnected() {
                        log.debug("camera {}: the PCM tap was never connected", name);
                    }

                    @Override
                    public void failed(IOException e) {
                        log.debug("camera {}: PCM tap ended: {}", name, e.toString());
                    }
                });
            }
            try (InputStream in = p.getInputStream()) {
                video.read(in);
            }
        }

        /** Hands the decoded audio to the level meter until the process ends; a meter failure is logged, never fatal. */
        private void feedMeter(InputStream in) throws IOException {
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) > 0; ) {
                try {
                    pcm.onPcm(buf, 0, n);
                } catch (RuntimeException e) {
                    log.warn("camera {}: audio level meter failed: {}", name, e.toString());
                }
            }
        }

        @Override
        public void close() {
            stream.interrupted();
            if (audioTap != null) {
                audioTap.close();
            }
            if (pcmTap != null) {
                pcmTap.close();
            }
        }
    }

    private void onFrame(VideoTrack track) {
        process.frameArrived();
        VideoEncoding wanted = target.encoding();
        if (!wanted.equals(running)) {
            // asked for while this process was being started: start it again with what was asked
            running = wanted;
            process.restartNow("started at another encoding than " + wanted + ", which was asked for meanwhile");
        }
        if (state.status() != CameraState.Status.LIVE) {
            setState(CameraState.Status.LIVE, track.width() + "x" + track.height() + " " + track.codecString(),
                    state.restarts(), false);
        }
    }

    /** Why the command could not start, with the fix a keeper can apply. */
    private String cannotStart(String executable, IOException e) {
        String why = "cannot start " + executable + ": " + ProcessSupervisor.rootMessage(e);
        boolean missing = why.contains("error=2") || why.contains("No such file");
        if (executable.equals("rpicam-vid")) {
            return why + " (install rpicam-apps, or use source: test)";
        }
        if (missing && executable.equals(media.ffmpeg())) {
            return why + ". Install it: sudo apt-get install ffmpeg (or set media.ffmpeg to the ffmpeg to use)";
        }
        return why;
    }

    private void setState(CameraState.Status status, String reason, int restarts, boolean quiet) {
        CameraState old = state;
        state = new CameraState(status, reason, old.status() == status ? old.since() : clock.instant(), restarts);
        if (old.status() != status) {
            if (quiet) {
                log.debug("camera {}: {} ({})", name, status.name().toLowerCase(), reason);
            } else if (status == CameraState.Status.OFFLINE && !stopping) {
                log.warn("camera {}: offline ({})", name, reason);
            } else {
                log.info("camera {}: {}{}", name, status.name().toLowerCase(), reason == null ? "" : " (" + reason + ")");
            }
            try {
                stateListener.accept(state);
            } catch (RuntimeException e) {
                log.warn("camera {}: state listener failed: {}", name, e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "camera " + name + " (" + config.source() + ", " + state.label() + ")";
    }
}

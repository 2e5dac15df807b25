package io.beeperkeeper.media.camera;

import io.beeperkeeper.config.CameraConfig;
import io.beeperkeeper.config.MediaConfig;
import io.beeperkeeper.media.AudioTrack;
import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.MediaKind;
import io.beeperkeeper.media.Stream;
import io.beeperkeeper.media.Tracks;
import io.beeperkeeper.media.VideoTrack;
import io.beeperkeeper.media.h264.AccessUnit;
import io.beeperkeeper.media.h264.AnnexBReader;
import io.beeperkeeper.media.h264.Sps;
import io.beeperkeeper.media.h264.SpsRewriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A camera's video, from the process's stdout (H.264 Annex B) to {@link Frame}s on the stream: the
 * first keyframe with parameter sets (and, for a camera with audio, the audio header) publishes the
 * tracks; each picture is stamped with its arrival on the stream clock. Garbage is skipped and counted
 * ({@link #malformedUnits()}, shown in the camera's health).
 */
final class VideoIngest {
    private static final Logger log = LoggerFactory.getLogger(CameraSupervisor.class);

    private final String name;
    private final CameraConfig config;
    private final MediaConfig media;
    private final Stream stream;
    private final StreamClock time;
    private final AudioIngest audio;
    private final UnaryOperator<byte[]> spsInput;
    private final Consumer<VideoTrack> onFrame;

    private volatile VideoTrack pending;
    private volatile boolean sawBSlice;
    private volatile AnnexBReader reader;
    private volatile long malformedBefore;
    private long lastUs = -1;

    /**
     * @param spsInput applied to each SPS as it comes from the camera (identity in production)
     * @param onFrame  told of every published picture (the watchdog and the camera's state)
     */
    VideoIngest(String name, CameraConfig config, MediaConfig media, Stream stream, StreamClock time, AudioIngest audio,
                UnaryOperator<byte[]> spsInput, Consumer<VideoTrack> onFrame) {
        this.name = name;
        this.config = config;
        this.media = media;
        this.stream = stream;
        this.time = time;
        this.audio = audio;
        this.spsInput = spsInput;
        this.onFrame = onFrame;
    }

    /** Forgets the previous process's parameter sets: a new process sends its own. */
    void reset() {
        pending = null;
        sawBSlice = false;
    }

    /** Reads pictures until the process closes its stdout. */
    void read(InputStream in) throws IOException {
        AnnexBReader r = new AnnexBReader(this::onAccessUnit);
        reader = r;
        try {
            r.run(in);
        } finally {
            malformedBefore += r.malformedUnits();
            reader = null;
        }
    }

    /** NAL units skipped as malformed since the camera was built, across its processes. */
    long malformedUnits() {
        AnnexBReader r = reader;
        return malformedBefore + (r == null ? 0 : r.malformedUnits());
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
                pending = videoTrack(spsInput.apply(au.sps()), au.pps());
            } catch (IllegalArgumentException e) {
                log.warn("camera {}: ignoring bad SPS: {}", name, e.getMessage());
            }
        }
        VideoTrack video = pending;
        if (video == null) {
            return; // wait for the first keyframe with parameter sets
        }
        if (!stream.tracks().map(t -> t.video().equals(video)).orElse(false) || audioChanged()) {
            if (!au.keyframe()) {
                return;
            }
            if (config.hasAudio() && audio.track() == null) {
                return; // a player needs both tracks in its init segment: wait for the audio header
            }
            stream.publishTracks(Tracks.of(video, config.hasAudio() ? audio.track() : null));
        }
        long now = time.nowUs();
        long t = lastUs < 0 ? now : Math.max(now, lastUs + 1000);
        lastUs = t;
        long duration = (long) (1_000_000 / video.fps());
        stream.publish(new Frame(MediaKind.VIDEO, t, duration, au.keyframe(), au.nals(), time.wallMs()));
        onFrame.accept(video);
    }

    private boolean audioChanged() {
        if (!config.hasAudio()) {
            return false;
        }
        AudioTrack a = audio.track();
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
}

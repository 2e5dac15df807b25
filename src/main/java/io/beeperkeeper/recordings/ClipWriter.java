package io.beeperkeeper.recordings;

import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.MediaKind;
import io.beeperkeeper.media.Tracks;
import io.beeperkeeper.media.mp4.Mp4FileWriter;
import io.beeperkeeper.media.mp4.Mp4Movie;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes one clip, each byte once and in one forward stream, never rewritten:
 * <ul>
 *   <li>while it records, each frame's bytes (in MP4 sample form) are appended to
 *       {@code <id>.samples} as they arrive, so the clip is on disk from its first second and a slow
 *       SD card never holds frames in memory; only the sample table (a few bytes a frame) is kept;</li>
 *   <li>at its end, the faststart MP4's header ({@link Mp4FileWriter#header()}: ftyp, moov with the
 *       whole sample table, the mdat header; a few kB) goes into {@code <id>.head}.</li>
 * </ul>
 * The clip's MP4 is those two one after the other ({@link Mp4Movie}), served so on request: moov
 * before mdat, so a browser plays it before it has loaded, and no second copy of the media on the
 * card (reserving room for the moov and seeking back would rewrite a written block; an mdat-first
 * file does not play before it has loaded; holding a 60 s clip in memory is up to 30 MB per camera
 * on a 1 GiB Pi and loses the clip in a crash).
 *
 * <p>A sample's duration is known when the next one of its track arrives, so each track's newest
 * frame waits here until then (the last gets its nominal duration). Audio before the first video
 * frame is left out; audio starting later gets an empty edit so the two stay in sync. Not thread safe.
 */
final class ClipWriter implements AutoCloseable {
    private final Path samples;
    private final Tracks tracks;
    private final OutputStream out;
    private final Mp4FileWriter mp4;
    private long written;
    private long firstVideoUs = Long.MIN_VALUE;
    private long firstVideoWallMs;
    private long lastVideoUs;
    private boolean audioStarted;
    private Held video;
    private Held audio;
    private int videoFrames;
    private boolean closed;

    /** A frame written to the samples file whose duration is not known yet. */
    private record Held(Frame frame, long offset, long length) {
    }

    ClipWriter(Path samples, Tracks tracks) throws IOException {
        this.samples = samples;
        this.tracks = tracks;
        this.out = new BufferedOutputStream(Files.newOutputStream(samples, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 64 * 1024);
        this.mp4 = new Mp4FileWriter(tracks);
    }

    /** Appends a frame; the first must be a video keyframe. */
    void add(Frame f) throws IOException {
        if (f.isVideo()) {
            if (firstVideoUs == Long.MIN_VALUE) {
                if (!f.keyframe()) {
                    throw new IllegalArgumentException("a clip starts at a keyframe");
                }
                firstVideoUs = f.timeUs();
                firstVideoWallMs = f.receivedAtMs();
            }
            Held h = write(f);
            if (video != null) {
                long d = f.timeUs() - video.frame().timeUs();
                sample(video, d > 0 ? d : video.frame().durationUs());
            }
            video = h;
            lastVideoUs = Math.max(lastVideoUs, f.timeUs() + f.durationUs());
            videoFrames++;
        } else {
            if (firstVideoUs == Long.MIN_VALUE || tracks.audio().isEmpty() || f.timeUs() < firstVideoUs) {
                return;
            }
            if (!audioStarted) {
                mp4.startAt(MediaKind.AUDIO, f.timeUs() - firstVideoUs);
                audioStarted = true;
            }
            Held h = write(f);
            if (audio != null) {
                long d = f.timeUs() - audio.frame().timeUs();
                sample(audio, d > 0 ? d : audio.frame().durationUs());
            }
            audio = h;
        }
    }

    private Held write(Frame f) throws IOException {
        byte[] b = Mp4FileWriter.sampleBytes(f);
        out.write(b);
        Held h = new Held(f, written, b.length);
        written += b.length;
        return h;
    }

    private void sample(Held h, long durationUs) {
        Mp4FileWriter.FileRegion r = new Mp4FileWriter.FileRegion(samples, h.offset(), h.length());
        if (h.frame().isVideo()) {
            mp4.video(durationUs, h.frame().keyframe(), r);
        } else {
            mp4.audio(durationUs, r);
        }
    }

    /** Pushes what is written to the samples file out to the disk (so it is there within a second). */
    void flush() throws IOException {
        out.flush();
    }

    boolean hasAudio() {
        return audioStarted;
    }

    boolean started() {
        return firstVideoUs != Long.MIN_VALUE;
    }

    /** Bytes in the samples file so far. */
    long bytes() {
        return written;
    }

    /** About what the header will take when the clip ends (its sample table grows by a few bytes a frame). */
    long headerBytes() {
        return 2_048 + 16L * mp4.sampleCount();
    }

    int videoFrames() {
        return videoFrames;
    }

    /** Stream time from the first video frame to the end of the newest. */
    long durationUs() {
        return started() ? lastVideoUs - firstVideoUs : 0;
    }

    /** Stream time of the first video frame. */
    long firstVideoUs() {
        return firstVideoUs;
    }

    /** When the first video frame reached the hub (epoch ms). */
    long firstVideoWallMs() {
        return firstVideoWallMs;
    }

    /**
     * Ends the clip: the samples file is closed and the header written to {@code head} (through a
     * temporary name, so a header on disk is always whole).
     *
     * @return the clip as an MP4: the header, then the samples file
     */
    Mp4Movie finish(Path head) throws IOException {
        if (video != null) {
            sample(video, video.frame().durationUs());
            video = null;
        }
        if (audio != null) {
            sample(audio, audio.frame().durationUs());
            audio = null;
        }
        closed = true;
        out.close();
        byte[] header = mp4.header();
        Path tmp = head.resolveSibling(head.getFileName() + ".tmp");
        try {
            Files.write(tmp, header, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            Files.move(tmp, head, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return new Mp4Movie(header, samples, written);
    }

    /** Gives the clip up: the samples file is deleted. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException ignored) {
            // deleted next
        }
        try {
            Files.deleteIfExists(samples);
        } catch (IOException ignored) {
            // a leftover samples file without its index file is deleted at the next start
        }
    }
}

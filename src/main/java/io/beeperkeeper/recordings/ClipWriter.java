package io.beeperkeeper.recordings;

import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.MediaKind;
import io.beeperkeeper.media.Tracks;
import io.beeperkeeper.media.mp4.Mp4FileWriter;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes one clip. A faststart MP4 (moov before mdat, so a browser plays it before it has loaded)
 * needs every sample's size before its first media byte, so a clip is written in two forward
 * streams and nothing is ever rewritten in place:
 * <ol>
 *   <li>while it records, each frame's bytes (in MP4 form) are appended to {@code <id>.part} as
 *       they arrive, so the clip is on disk from its first second and a slow SD card never holds
 *       frames in memory; only the sample table (a few bytes a frame) is kept;</li>
 *   <li>at its end, {@link Mp4FileWriter} writes {@code <id>.mp4.tmp}: ftyp, moov, then the media
 *       copied from the part file (from the page cache, as it was just written), renamed to
 *       {@code <id>.mp4} and the part file deleted.</li>
 * </ol>
 * That costs each clip's bytes twice on the card, both sequential: the alternatives are worse for an
 * SD card (reserving room for the moov and seeking back rewrites a written block; an mdat-first
 * file does not play before it has loaded; holding a 60 s clip in memory is up to 30 MB per camera
 * on a 1 GiB Pi and loses the clip in a crash).
 *
 * <p>A sample's duration is known when the next one of its track arrives, so each track's newest
 * frame waits here until then (the last gets its nominal duration). Audio before the first video
 * frame is left out; audio starting later gets an empty edit so the two stay in sync. Not thread safe.
 */
final class ClipWriter implements AutoCloseable {
    private final Path part;
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

    /** A frame written to the part file whose duration is not known yet. */
    private record Held(Frame frame, long offset, long length) {
    }

    ClipWriter(Path part, Tracks tracks) throws IOException {
        this.part = part;
        this.tracks = tracks;
        this.out = new BufferedOutputStream(Files.newOutputStream(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 64 * 1024);
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
        Mp4FileWriter.FileRegion r = new Mp4FileWriter.FileRegion(part, h.offset(), h.length());
        if (h.frame().isVideo()) {
            mp4.video(durationUs, h.frame().keyframe(), r);
        } else {
            mp4.audio(durationUs, r);
        }
    }

    /** Pushes what is written to the part file out to the disk (so it is there within a second). */
    void flush() throws IOException {
        out.flush();
    }

    boolean hasAudio() {
        return audioStarted;
    }

    boolean started() {
        return firstVideoUs != Long.MIN_VALUE;
    }

    /** Bytes in the part file so far. */
    long bytes() {
        return written;
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
     * Writes the MP4 to {@code mp4File} (through a temporary name, so a listed clip is always whole)
     * and deletes the part file.
     *
     * @return the MP4's size in bytes
     */
    long finish(Path mp4File) throws IOException {
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
        Path tmp = mp4File.resolveSibling(mp4File.getFileName() + ".tmp");
        long size;
        try (OutputStream o = Files.newOutputStream(tmp)) {
            size = mp4.write(o);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        } finally {
            Files.deleteIfExists(part);
        }
        Files.move(tmp, mp4File, StandardCopyOption.ATOMIC_MOVE);
        return size;
    }

    /** Gives the clip up: the part file is deleted. */
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
            Files.deleteIfExists(part);
        } catch (IOException ignored) {
            // a leftover part file is deleted at the next start
        }
    }
}

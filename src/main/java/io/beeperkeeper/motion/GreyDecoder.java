package io.beeperkeeper.motion;

import io.beeperkeeper.feature.Threads;
import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.FrameConsumer;
import io.beeperkeeper.media.FrameQueue;
import io.beeperkeeper.media.Stream;
import io.beeperkeeper.media.Tracks;
import io.beeperkeeper.media.h264.AnnexBReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Decodes only what motion detection needs of one camera: a long-running ffmpeg is fed the camera's
 * H.264 as the relay has it (on its standard input) and gives back every k-th picture, scaled down to
 * a small YUV picture ({@code -f rawvideo -pix_fmt yuv420p}), so about {@code fps} pictures a second.
 * ffmpeg must decode every frame (a P-frame needs the one before), but scales and hands over only the
 * few that are looked at. Each picture is dated with its frame's stream time: ffmpeg gives one picture
 * per selected frame, in order, so the k-th picture out is the k-th selected frame in.
 *
 * <p>The camera's thread only queues frames (a bounded {@link FrameQueue}: a decoder that falls behind
 * skips to the next keyframe). ffmpeg is restarted when it exits, after 1, 2, 4 ... 30 s, and when the
 * camera's tracks change; its state is in {@link #status()}.
 */
final class GreyDecoder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GreyDecoder.class);
    private static final long MAX_BACKOFF_MS = 30_000;

    private final String camera;
    private final Stream stream;
    private final String ffmpeg;
    private final int fps;
    private final int width;
    private final int height;
    private final Consumer<Picture> pictures;
    private final Runnable interrupted;
    private final FrameQueue queue = new FrameQueue(300, 16L * 1024 * 1024);
    private final ArrayDeque<long[]> selected = new ArrayDeque<>();
    private volatile boolean running;
    private volatile String status = "starting";
    private volatile long picturesOut;
    private volatile Process process;
    private Stream.Subscription subscription;
    private Thread feeder;

    /**
     * @param pictures    told each decoded picture, on the decoder's reader thread
     * @param interrupted told when the decoder stopped (ffmpeg exited, the camera restarted)
     */
    GreyDecoder(String camera, Stream stream, String ffmpeg, int fps, int width, int height,
                Consumer<Picture> pictures, Runnable interrupted) {
        this.camera = camera;
        this.stream = stream;
        this.ffmpeg = ffmpeg;
        this.fps = fps;
        this.width = width;
        this.height = height;
        this.pictures = pictures;
        this.interrupted = interrupted;
    }

    void start() {
        running = true;
        subscription = stream.subscribe(new FrameConsumer() { // pictures only: sound would wake the feeder for nothing
            @Override
            public void onTracks(Tracks tracks) {
                queue.onTracks(tracks);
            }

            @Override
            public void onFrame(Frame frame) {
                if (frame.isVideo()) {
                    queue.onFrame(frame);
                }
            }

            @Override
            public void onEnd() {
                queue.onEnd();
            }
        });
        feeder = Threads.start("motion-" + camera, this::feed);
    }

    /** What the decoder is doing, for health: empty when it works. */
    String status() {
        return status;
    }

    long picturesOut() {
        return picturesOut;
    }

    /** The ffmpeg process decoding now, if any (for the CPU benchmark). */
    Process process() {
        return process;
    }

    /** The command for a camera at {@code cameraFps}: every {@code k}-th picture, scaled. */
    List<String> command(int k) {
        return List.of(ffmpeg, "-hide_banner", "-loglevel", "error", "-threads", "1",
                "-probesize", "32768", "-analyzeduration", "0", "-flags", "low_delay",
                "-f", "h264", "-i", "pipe:0", "-an",
                "-vf", "select='not(mod(n\\," + k + "))',scale=" + width + ":" + height + ":flags=fast_bilinear,format=yuv420p",
                "-fps_mode", "passthrough", "-flush_packets", "1", "-f", "rawvideo", "pipe:1");
    }

    private void feed() {
        long backoff = 1_000;
        Tracks tracks = null;
        while (running) {
            FrameQueue.Item first;
            try {
                first = queue.take(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (first == null) {
                continue;
            }
            if (first.tracks() != null) {
                tracks = first.tracks();
                continue;
            }
            if (tracks == null || !first.frame().isVideo() || !first.frame().keyframe()) {
                continue;
            }
            long startedAt = System.nanoTime();
            String ended = decode(tracks, first.frame());
            if (!running) {
                return;
            }
            interrupted.run();
            if (ended.startsWith("tracks")) {
                tracks = pendingTracks;
                backoff = 1_000;
                continue;
            }
            if (System.nanoTime() - startedAt > 60_000_000_000L) {
                backoff = 1_000; // it ran a good while: a fresh failure
            }
            status = ended + "; restarting in " + backoff / 1000 + " s";
            log.warn("motion {}: {}", camera, status);
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            drainToTracks();
            if (pendingTracks != null) {
                tracks = pendingTracks;
            }
        }
    }

    private Tracks pendingTracks;

    /** Forgets queued frames while waiting to restart (the decoder starts again at a keyframe). */
    private void drainToTracks() {
        FrameQueue.Item item;
        while ((item = queue.poll()) != null) {
            if (item.tracks() != null) {
                pendingTracks = item.tracks();
            }
        }
    }

    /** Runs one ffmpeg from {@code key} until it ends or the tracks change; returns why it ended. */
    private String decode(Tracks tracks, Frame key) {
        int k = Math.max(1, (int) Math.round(tracks.video().fps() / fps));
        Process p;
        try {
            p = new ProcessBuilder(command(k)).redirectError(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            return "cannot run ffmpeg ('" + ffmpeg + "'): " + e.getMessage()
                    + "; install it (sudo apt install ffmpeg) or set media.ffmpeg to its path";
        }
        process = p;
        synchronized (selected) {
            selected.clear();
        }
        StringBuilder errors = new StringBuilder();
        Thread errorReader = Threads.start("motion-" + camera + "-stderr", () -> {
            try (InputStream err = p.getErrorStream()) {
                byte[] b = err.readNBytes(4096);
                synchronized (errors) {
                    errors.append(new String(b).trim());
                }
                err.transferTo(OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // the process ended
            }
        });
        Thread reader = Threads.start("motion-" + camera + "-pictures", () -> read(p));
        String why;
        long n = 0;
        byte[] sps = tracks.video().sps();
        byte[] pps = tracks.video().pps();
        try (OutputStream in = p.getOutputStream()) {
            Frame frame = key;
            status = "";
            while (running) {
                if (frame != null && frame.isVideo()) {
                    List<byte[]> nals = new ArrayList<>();
                    if (frame.keyframe()) {
                        nals.add(sps);
                        nals.add(pps);
                    }
                    nals.addAll(frame.units());
                    if (n % k == 0) {
                        synchronized (selected) {
                            selected.add(new long[]{frame.timeUs(), frame.receivedAtMs()});
                        }
                    }
                    n++;
                    in.write(AnnexBReader.toAnnexB(nals));
                    in.flush();
                }
                FrameQueue.Item item = queue.take(1, TimeUnit.SECONDS);
                frame = null;
                if (item != null && item.tracks() != null) {
                    pendingTracks = item.tracks();
                    return "tracks changed";
                }
                if (item != null) {
                    frame = item.frame();
                }
                if (!p.isAlive()) {
                    break;
                }
            }
            why = "ffmpeg stopped";
        } catch (IOException e) {
            why = "ffmpeg stopped reading";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            why = "closing";
        } finally {
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
                reader.join(5_000);
                errorReader.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
        String err;
        synchronized (errors) {
            err = errors.toString();
        }
        return why + (p.isAlive() ? "" : " (exit " + p.exitValue() + ")") + (err.isEmpty() ? "" : ": " + err.lines().findFirst().orElse(""));
    }

    private void read(Process p) {
        int lumaBytes = width * height;
        int size = lumaBytes * 3 / 2;
        byte[] yuv = new byte[size];
        try (InputStream out = p.getInputStream()) {
            while (true) {
                if (out.readNBytes(yuv, 0, size) < size) {
                    return;
                }
                long[] when;
                synchronized (selected) {
                    when = selected.poll();
                }
                if (when == null) {
                    continue; // more pictures than frames selected: ffmpeg decoded something twice
                }
                byte[] luma = java.util.Arrays.copyOf(yuv, lumaBytes);
                byte[] chroma = java.util.Arrays.copyOfRange(yuv, lumaBytes, size);
                picturesOut++;
                try {
                    pictures.accept(new Picture(width, height, luma, chroma, when[0], when[1]));
                } catch (RuntimeException e) {
                    log.warn("motion {}: a picture could not be looked at: {}", camera, e.toString());
                }
            }
        } catch (IOException e) {
            // ffmpeg ended: the feeder restarts it
        }
    }

    @Override
    public void close() {
        running = false;
        if (subscription != null) {
            subscription.close();
        }
        Process p = process;
        if (p != null) {
            p.destroy();
        }
        if (feeder != null) {
            feeder.interrupt();
            try {
                feeder.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

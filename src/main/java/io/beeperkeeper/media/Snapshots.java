package io.beeperkeeper.media;

import io.beeperkeeper.feature.Threads;
import io.beeperkeeper.media.h264.AnnexBReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * JPEG snapshots: the latest keyframe of a stream decoded by a short-lived ffmpeg (the hub never
 * decodes video itself), cached for a second per camera so a burst of requests costs one decode.
 */
final class Snapshots {
    private static final long CACHE_NANOS = 1_000_000_000L;
    private final String ffmpeg;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    private record Cached(long atNanos, byte[] jpeg) {
    }

    Snapshots(String ffmpeg) {
        this.ffmpeg = ffmpeg;
    }

    Optional<byte[]> get(Stream stream) throws IOException, InterruptedException {
        Object lock = locks.computeIfAbsent(stream.name(), k -> new Object()); // one decode per camera at a time
        synchronized (lock) {
            Cached c = cache.get(stream.name());
            if (c != null && System.nanoTime() - c.atNanos < CACHE_NANOS) {
                return Optional.of(c.jpeg);
            }
            Optional<Tracks> tracks = stream.tracks();
            List<Frame> gop = stream.gop();
            if (tracks.isEmpty() || gop.isEmpty()) {
                return Optional.empty();
            }
            Frame key = gop.get(0);
            List<byte[]> nals = new ArrayList<>();
            nals.add(tracks.get().video().sps());
            nals.add(tracks.get().video().pps());
            nals.addAll(key.units());
            byte[] jpeg = decode(AnnexBReader.toAnnexB(nals));
            cache.put(stream.name(), new Cached(System.nanoTime(), jpeg));
            return Optional.of(jpeg);
        }
    }

    private byte[] decode(byte[] annexB) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(ffmpeg, "-hide_banner", "-loglevel", "error", "-f", "h264", "-i", "pipe:0",
                "-frames:v", "1", "-q:v", "4", "-f", "image2", "-c:v", "mjpeg", "pipe:1")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Threads.start("snapshot-writer", () -> {
                try (OutputStream in = p.getOutputStream()) {
                    in.write(annexB);
                } catch (IOException ignored) {
                    // ffmpeg stopped reading: its exit code tells
                }
            });
            byte[] jpeg;
            try (InputStream out = p.getInputStream()) {
                jpeg = out.readNBytes(16 * 1024 * 1024);
            }
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0 || jpeg.length == 0) {
                throw new IOException("ffmpeg could not decode the keyframe for a snapshot");
            }
            return jpeg;
        } finally {
            p.destroyForcibly();
        }
    }
}

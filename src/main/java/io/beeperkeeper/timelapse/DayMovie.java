package io.beeperkeeper.timelapse;

import io.beeperkeeper.media.Tracks;
import io.beeperkeeper.media.VideoTrack;
import io.beeperkeeper.media.h264.Sps;
import io.beeperkeeper.media.mp4.Mp4FileWriter;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Makes a part's movie: an all-intra MP4 whose every sample is one kept keyframe (a sync sample),
 * copied from the part's {@code .avc} file as it is, with timestamps rewritten to one frame every
 * 1/fps s; the avcC comes from the part's SPS/PPS. Written by the hub's progressive MP4 writer
 * ({@code moov} first, so the page plays it before it has all loaded) to a temporary file that is
 * moved into place, so a movie on disk is always whole.
 */
final class DayMovie {
    private DayMovie() {
    }

    static void write(Params params, Path samples, List<Index.Entry> entries, int fps, Path out) throws IOException {
        Sps sps = params.parsed();
        VideoTrack video = new VideoTrack(sps.codecString(), sps.profileIdc(), sps.levelIdc(), sps.width(), sps.height(),
                fps, params.sps(), params.pps());
        Mp4FileWriter movie = new Mp4FileWriter(Tracks.videoOnly(video));
        long previousUs = 0;
        for (int i = 0; i < entries.size(); i++) {
            // each frame ends on the nearest microsecond of (i + 1) / fps, so the frames add up to exactly n / fps
            long endUs = Math.round((i + 1) * 1_000_000.0 / fps);
            Index.Entry e = entries.get(i);
            movie.video(endUs - previousUs, true, new Mp4FileWriter.FileRegion(samples, e.offset(), e.length()));
            previousUs = endUs;
        }
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            movie.write(o);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}

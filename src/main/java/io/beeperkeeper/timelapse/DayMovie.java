package io.beeperkeeper.timelapse;

import io.beeperkeeper.media.mp4.Mp4Movie;
import io.beeperkeeper.media.Tracks;
import io.beeperkeeper.media.VideoTrack;
import io.beeperkeeper.media.h264.Sps;
import io.beeperkeeper.media.mp4.Mp4FileWriter;

import java.nio.file.Path;
import java.util.List;

/**
 * Makes a part's movie: an all-intra MP4 whose every sample is one kept keyframe (a sync sample),
 * with timestamps rewritten to one frame every 1/fps s; the avcC comes from the part's SPS/PPS. The
 * hub's progressive MP4 writer lays it out ({@code moov} first, so the page plays it before it has
 * all loaded); only its header is made here, since the samples are the part's {@code .avc} file as it is.
 */
final class DayMovie {
    private DayMovie() {
    }

    /** @param part the part's trusted entries, one after the other from the start of {@code samples} */
    static Mp4Movie of(Params params, Path samples, PartWriter.View part, int fps) {
        List<Index.Entry> entries = part.entries();
        Sps sps = params.parsed();
        VideoTrack video = new VideoTrack(sps.codecString(), sps.profileIdc(), sps.levelIdc(), sps.width(), sps.height(),
                fps, params.sps(), params.pps());
        Mp4FileWriter movie = new Mp4FileWriter(Tracks.videoOnly(video));
        long previousUs = 0;
        long expected = 0;
        for (int i = 0; i < entries.size(); i++) {
            // each frame ends on the nearest microsecond of (i + 1) / fps, so the frames add up to exactly n / fps
            long endUs = Math.round((i + 1) * 1_000_000.0 / fps);
            Index.Entry e = entries.get(i);
            if (e.offset() != expected) {
                throw new IllegalArgumentException("keyframe " + i + " of " + samples + " is not where the one before ends");
            }
            movie.video(endUs - previousUs, true, new Mp4FileWriter.FileRegion(samples, e.offset(), e.length()));
            previousUs = endUs;
            expected = e.end();
        }
        if (expected > part.end()) {
            throw new IllegalArgumentException(samples + " holds fewer bytes than its keyframes");
        }
        // the newest keyframe's last bytes may still be in memory, waiting for their page to fill
        long onDisk = Math.min(expected, part.onDisk());
        return new Mp4Movie(movie.header(), samples, onDisk, java.util.Arrays.copyOf(part.tail(), (int) (expected - onDisk)));
    }
}

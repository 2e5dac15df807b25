package io.beeperkeeper.recordings;

import com.fasterxml.jackson.databind.JsonNode;
import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.MediaKind;
import io.beeperkeeper.media.Tracks;
import io.beeperkeeper.media.mp4.Mp4TestMedia;

import java.nio.file.Path;


/**
 * A camera's frames for the clip tests: x264's two seconds (320x240 at 15 fps, a keyframe every
 * second) played in a loop, each frame stamped as if it reached the hub at {@code startMs} plus its
 * stream time; and what ffprobe says of a clip as the hub serves it.
 */
final class ClipMedia {
    static final long FRAME_US = 1_000_000 / 15;
    final Tracks tracks;
    private final Mp4TestMedia.Video video;

    ClipMedia() throws Exception {
        video = Mp4TestMedia.video();
        tracks = Tracks.videoOnly(video.track());
    }

    /** Frame {@code i} of the endless loop, reaching the hub at {@code startMs + i/15 s}. */
    Frame frame(int i, long startMs) {
        var au = video.units().get(i % video.units().size());
        long t = i * 1_000_000L / 15;
        return new Frame(MediaKind.VIDEO, t, FRAME_US, au.keyframe(), au.nals(), startMs + t / 1000);
    }

    /** The clip's MP4 as the hub serves it, saved beside the library for ffprobe. */
    static Path saved(ClipLibrary library, Clip c) throws Exception {
        return Mp4TestMedia.save(library.movie(c).orElseThrow(), library.root().resolveSibling(c.id() + ".mp4"));
    }

    /** What ffprobe says of the clip's MP4 (frames counted), failing on any complaint. */
    static JsonNode probe(ClipLibrary library, Clip c) throws Exception {
        return Mp4TestMedia.probe(saved(library, c));
    }
}

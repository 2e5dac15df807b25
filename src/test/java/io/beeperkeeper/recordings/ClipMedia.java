package io.beeperkeeper.recordings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.media.Ffmpeg;
import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.MediaKind;
import io.beeperkeeper.media.Tracks;
import io.beeperkeeper.media.mp4.Mp4TestMedia;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A camera's frames for the clip tests: x264's two seconds (320x240 at 15 fps, a keyframe every
 * second) played in a loop, each frame stamped as if it reached the hub at {@code startMs} plus its
 * stream time; and what ffprobe says of a clip.
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

    static JsonNode probe(Path mp4) throws Exception {
        Ffmpeg.Result r = Ffmpeg.run("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                "stream=codec_name,width,height,nb_read_frames,duration:format=duration", "-of", "json", mp4.toString());
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stderr()).as("ffprobe's complaints").isEmpty();
        return new ObjectMapper().readTree(r.stdout());
    }

    /** The file's top-level boxes in order (ftyp, moov, mdat for a faststart MP4). */
    static List<String> boxes(Path file) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        List<String> types = new ArrayList<>();
        while (b.remaining() >= 8) {
            int at = b.position();
            long size = b.getInt() & 0xFFFFFFFFL;
            byte[] type = new byte[4];
            b.get(type);
            types.add(new String(type, StandardCharsets.US_ASCII));
            if (size < 8) {
                break;
            }
            b.position((int) (at + size));
        }
        return types;
    }
}

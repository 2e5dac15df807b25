package io.beeperkeeper.timelapse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.media.Ffmpeg;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** What ffprobe and ffmpeg say of a time-lapse movie: frames, rate, duration, all-intra, clean decode. */
public final class MovieProbe {
    private MovieProbe() {
    }

    /** Asserts the movie plays {@code frames} H.264 keyframes of {@code width}x{@code height} at {@code fps}, decoding cleanly. */
    public static void assertMovie(Path mp4, int frames, int fps, int width, int height) throws Exception {
        Ffmpeg.Result r = Ffmpeg.run("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                "stream=codec_name,width,height,r_frame_rate,avg_frame_rate,nb_read_frames,duration", "-of", "json", mp4.toString());
        assertThat(r.exit()).as(r.stderr()).isZero();
        JsonNode s = new ObjectMapper().readTree(r.stdout()).path("streams").path(0);
        assertThat(s.path("codec_name").asText()).isEqualTo("h264");
        assertThat(s.path("width").asInt()).isEqualTo(width);
        assertThat(s.path("height").asInt()).isEqualTo(height);
        assertThat(s.path("nb_read_frames").asInt()).as("frames decoded").isEqualTo(frames);
        assertThat(s.path("r_frame_rate").asText()).isEqualTo(fps + "/1");
        assertThat(s.path("avg_frame_rate").asText()).isEqualTo(fps + "/1");
        assertThat(s.path("duration").asDouble()).as("duration = frames / fps").isCloseTo(frames / (double) fps, within(0.001));

        JsonNode kinds = probe(mp4, "frame=key_frame,pict_type").path("frames");
        assertThat(kinds).as("every frame a keyframe (I)").hasSize(frames)
                .allMatch(f -> f.path("key_frame").asInt() == 1 && f.path("pict_type").asText().equals("I"));
        JsonNode packets = probe(mp4, "packet=flags").path("packets");
        assertThat(packets).as("every sample a sync sample").hasSize(frames)
                .allMatch(p -> p.path("flags").asText().startsWith("K"));

        Ffmpeg.Result decode = Ffmpeg.run("ffmpeg", "-v", "error", "-i", mp4.toString(), "-f", "null", "-");
        assertThat(decode.exit()).isZero();
        assertThat(decode.stderr()).as("a clean decode").isEmpty();
    }

    private static JsonNode probe(Path mp4, String entries) throws Exception {
        Ffmpeg.Result r = Ffmpeg.run("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", entries, "-of", "json", mp4.toString());
        assertThat(r.exit()).as(r.stderr()).isZero();
        return new ObjectMapper().readTree(r.stdout());
    }
}

package io.beeperkeeper.media.mp4;

import com.fasterxml.jackson.databind.JsonNode;
import io.beeperkeeper.media.Ffmpeg;
import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.MediaKind;
import io.beeperkeeper.media.Tracks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Mp4FileWriterTest {
    static Mp4TestMedia.Video video;

    @TempDir
    Path dir;

    @BeforeAll
    static void encodeVideo() throws Exception {
        video = Mp4TestMedia.video();
    }

    @Test
    void videoOnlyFileHasItsMoovFirstAndDecodes() throws Exception {
        Mp4FileWriter writer = new Mp4FileWriter(Tracks.videoOnly(video.track()));
        addTimed(writer, video.frames(5_000_000));
        Path file = dir.resolve("clip.mp4");
        long length;
        try (OutputStream out = Files.newOutputStream(file)) {
            length = writer.write(out);
        }
        assertThat(Files.size(file)).isEqualTo(length);
        assertThat(Mp4TestMedia.boxes(file)).containsExactly("ftyp", "moov", "mdat");
        byte[] header = writer.header();
        assertThat(java.util.Arrays.copyOf(Files.readAllBytes(file), header.length)).as("header(): the bytes before the samples").isEqualTo(header);
        assertThat(length).isEqualTo(header.length + writer.mediaBytes());

        JsonNode probe = Mp4TestMedia.probe(file);
        assertThat(probe.at("/streams")).hasSize(1);
        JsonNode v = probe.at("/streams/0");
        assertThat(v.get("codec_name").asText()).isEqualTo("h264");
        assertThat(v.get("width").asInt()).isEqualTo(320);
        assertThat(v.get("nb_read_frames").asInt()).isEqualTo(30);
        assertThat(probe.at("/format/duration").asDouble()).isBetween(1.95, 2.05);
        assertThat(probe.at("/format/format_name").asText()).contains("mp4");
        Mp4TestMedia.assertDecodesCleanly(file);

        Ffmpeg.Result r = Ffmpeg.run("ffprobe", "-v", "error", "-select_streams", "v", "-show_entries",
                "packet=pts_time,flags", "-of", "csv=p=0", file.toString());
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines).hasSize(30);
        assertThat(lines.get(0)).isEqualTo("0.000000,K_");
        assertThat(lines.get(1)).endsWith(",__");
        assertThat(lines.get(15)).startsWith("0.9999").endsWith(",K_");
    }

    @Test
    void opusThatStartsAfterTheKeyframeStaysInSync() throws Exception {
        Mp4TestMedia.Collected audio = Mp4TestMedia.opus(dir, 5_200_000);
        Path file = writeWithAudio(Tracks.of(video.track(), audio.track), audio.frames, 5_000_000);
        JsonNode probe = Mp4TestMedia.probe(file);
        assertThat(probe.at("/streams")).hasSize(2);
        JsonNode a = probe.at("/streams/1");
        assertThat(a.get("codec_name").asText()).isEqualTo("opus");
        assertThat(a.get("sample_rate").asInt()).isEqualTo(48000);
        assertThat(a.get("nb_read_frames").asInt()).isEqualTo(audio.frames.size());
        assertThat(a.get("start_time").asDouble()).isBetween(0.19, 0.21);
        assertThat(probe.at("/streams/0/start_time").asDouble()).isZero();
        Mp4TestMedia.assertDecodesCleanly(file);
    }

    @Test
    void aacTrackDecodes() throws Exception {
        Mp4TestMedia.Collected audio = Mp4TestMedia.aac(dir, 5_000_000);
        Path file = writeWithAudio(Tracks.of(video.track(), audio.track), audio.frames, 5_000_000);
        JsonNode a = Mp4TestMedia.probe(file).at("/streams/1");
        assertThat(a.get("codec_name").asText()).isEqualTo("aac");
        assertThat(a.get("sample_rate").asInt()).isEqualTo(44100);
        assertThat(a.get("nb_read_frames").asInt()).isEqualTo(audio.frames.size());
        Mp4TestMedia.assertDecodesCleanly(file);
    }

    @Test
    void samplesFromAFileOnDiskWithRetimedDurations() throws Exception {
        Path samples = dir.resolve("keyframes.bin");
        Mp4FileWriter writer = new Mp4FileWriter(Tracks.videoOnly(video.track()));
        long offset = 0;
        try (OutputStream out = Files.newOutputStream(samples)) {
            for (Frame f : video.frames(0)) {
                byte[] bytes = Mp4FileWriter.sampleBytes(f);
                out.write(bytes);
                writer.video(40_000, f.keyframe(), new Mp4FileWriter.FileRegion(samples, offset, bytes.length));
                offset += bytes.length;
            }
        }
        assertThat(writer.durationUs()).isEqualTo(1_200_000);
        Path file = dir.resolve("timelapse.mp4");
        try (OutputStream out = Files.newOutputStream(file)) {
            writer.write(out);
        }
        JsonNode probe = Mp4TestMedia.probe(file);
        assertThat(probe.at("/streams/0/nb_read_frames").asInt()).isEqualTo(30);
        assertThat(probe.at("/streams/0/avg_frame_rate").asText()).isEqualTo("25/1");
        assertThat(probe.at("/format/duration").asDouble()).isBetween(1.15, 1.25);
        Mp4TestMedia.assertDecodesCleanly(file);
    }

    @Test
    void refusesVideoThatDoesNotStartAtAKeyframe() {
        Mp4FileWriter writer = new Mp4FileWriter(Tracks.videoOnly(video.track()));
        Frame second = video.frames(0).get(1);
        assertThatThrownBy(() -> writer.frame(second, 66_667)).hasMessageContaining("keyframe");
        assertThatThrownBy(() -> writer.write(OutputStream.nullOutputStream())).hasMessageContaining("video frame");
    }

    /** Video and audio interleaved by time; the track that starts later gets its offset. */
    private Path writeWithAudio(Tracks tracks, List<Frame> audio, long videoStartUs) throws Exception {
        List<Frame> frames = new ArrayList<>(audio);
        frames.addAll(video.frames(videoStartUs));
        frames.sort(Comparator.comparingLong(Frame::timeUs));
        Mp4FileWriter writer = new Mp4FileWriter(tracks);
        writer.startAt(MediaKind.AUDIO, audio.get(0).timeUs() - videoStartUs);
        addTimed(writer, frames);
        Path file = dir.resolve("av.mp4");
        try (OutputStream out = Files.newOutputStream(file)) {
            writer.write(out);
        }
        return file;
    }

    /** Each frame lasts until the next frame of its kind; the last its nominal duration. */
    private static void addTimed(Mp4FileWriter writer, List<Frame> frames) {
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            long duration = f.durationUs();
            for (int j = i + 1; j < frames.size(); j++) {
                if (frames.get(j).kind() == f.kind()) {
                    duration = frames.get(j).timeUs() - f.timeUs();
                    break;
                }
            }
            writer.frame(f, duration);
        }
    }
}

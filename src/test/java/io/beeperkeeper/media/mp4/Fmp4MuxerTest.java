package io.beeperkeeper.media.mp4;

import com.fasterxml.jackson.databind.JsonNode;
import io.beeperkeeper.media.AudioTrack;
import io.beeperkeeper.media.Ffmpeg;
import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.Tracks;
import io.beeperkeeper.media.VideoTrack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class Fmp4MuxerTest {
    static Mp4TestMedia.Video video;
    static VideoTrack videoTrack;

    @TempDir
    Path dir;

    @BeforeAll
    static void encodeVideo() throws Exception {
        video = Mp4TestMedia.video();
        videoTrack = video.track();
    }

    @Test
    void videoOnlyInitAndFragmentsAreReadByFfprobe() throws Exception {
        Path file = mux(Tracks.videoOnly(videoTrack), List.of());
        JsonNode probe = Mp4TestMedia.probe(file);
        assertThat(probe.at("/streams")).hasSize(1);
        JsonNode v = probe.at("/streams/0");
        assertThat(v.get("codec_name").asText()).isEqualTo("h264");
        assertThat(v.get("width").asInt()).isEqualTo(320);
        assertThat(v.get("height").asInt()).isEqualTo(240);
        assertThat(v.get("nb_read_frames").asInt()).isEqualTo(30);
        assertThat(v.get("time_base").asText()).isEqualTo("1/90000");
        assertThat(probe.at("/format/format_name").asText()).contains("mp4");
        Mp4TestMedia.assertDecodesCleanly(file);
    }

    @Test
    void opusAudioTrackGetsDopsAndDecodes() throws Exception {
        Mp4TestMedia.Collected audio = Mp4TestMedia.opus(dir, 1_000_000);
        assertThat(audio.track.codec()).isEqualTo(AudioTrack.Codec.OPUS);
        assertThat(audio.track.codecString()).isEqualTo("opus");

        Path file = mux(Tracks.of(videoTrack, audio.track), audio.frames);
        JsonNode probe = Mp4TestMedia.probe(file);
        assertThat(probe.at("/streams")).hasSize(2);
        JsonNode a = probe.at("/streams/1");
        assertThat(a.get("codec_name").asText()).isEqualTo("opus");
        assertThat(a.get("sample_rate").asInt()).isEqualTo(48000);
        assertThat(a.get("channels").asInt()).isEqualTo(1);
        assertThat(a.get("nb_read_frames").asInt()).isEqualTo(audio.frames.size());
        Mp4TestMedia.assertDecodesCleanly(file);
    }

    @Test
    void aacAudioTrackGetsEsdsAndDecodes() throws Exception {
        Mp4TestMedia.Collected audio = Mp4TestMedia.aac(dir, 1_000_000);
        assertThat(audio.track.codecString()).isEqualTo("mp4a.40.2");
        assertThat(audio.track.sampleRate()).isEqualTo(44100);

        Path file = mux(Tracks.of(videoTrack, audio.track), audio.frames);
        JsonNode a = Mp4TestMedia.probe(file).at("/streams/1");
        assertThat(a.get("codec_name").asText()).isEqualTo("aac");
        assertThat(a.get("profile").asText()).isEqualTo("LC");
        assertThat(a.get("sample_rate").asInt()).isEqualTo(44100);
        assertThat(a.get("nb_read_frames").asInt()).isEqualTo(audio.frames.size());
        Mp4TestMedia.assertDecodesCleanly(file);
    }

    @Test
    void fragmentsCarryTheirDecodeTimeAndKeyframeFlag() throws Exception {
        Path file = mux(Tracks.videoOnly(videoTrack), List.of());
        Ffmpeg.Result r = Ffmpeg.run("ffprobe", "-v", "error", "-select_streams", "v", "-show_entries",
                "packet=pts_time,flags", "-of", "csv=p=0", file.toString());
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines).hasSize(30);
        assertThat(lines.get(0)).isEqualTo("1.000000,K_");
        assertThat(lines.get(1)).startsWith("1.0666").endsWith(",__");
        assertThat(lines.get(15)).startsWith("1.9999").endsWith(",K_");
    }

    /** Muxes the video (starting at 1 s on the stream clock) and audio frames, interleaved by time. */
    @Test
    void fragmentsAppendedToABufferAreTheSameBytesAsFragmentsReturnedOneByOne() throws Exception {
        Mp4TestMedia.Collected audio = Mp4TestMedia.opus(dir, 1_000_000);
        Tracks tracks = Tracks.of(videoTrack, audio.track);
        List<Frame> frames = new ArrayList<>(audio.frames);
        frames.addAll(video.frames(1_000_000));
        frames.sort(Comparator.comparingLong(Frame::timeUs));
        Fmp4Muxer oneByOne = new Fmp4Muxer(tracks);
        Fmp4Muxer appending = new Fmp4Muxer(tracks);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        ByteArrayOutputStream appended = new ByteArrayOutputStream();
        for (Frame f : frames) {
            expected.writeBytes(oneByOne.fragment(f));
            appending.fragment(f, appended);
        }
        assertThat(frames).anyMatch(Frame::isVideo).anyMatch(f -> !f.isVideo());
        assertThat(appended.toByteArray()).isEqualTo(expected.toByteArray());
    }

    private Path mux(Tracks tracks, List<Frame> audio) throws Exception {
        List<Frame> frames = new ArrayList<>(audio);
        frames.addAll(video.frames(1_000_000));
        frames.sort(Comparator.comparingLong(Frame::timeUs));
        Fmp4Muxer muxer = new Fmp4Muxer(tracks);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(muxer.initSegment());
        for (Frame f : frames) {
            out.writeBytes(muxer.fragment(f));
        }
        Path file = dir.resolve("out.mp4");
        Files.write(file, out.toByteArray());
        return file;
    }
}

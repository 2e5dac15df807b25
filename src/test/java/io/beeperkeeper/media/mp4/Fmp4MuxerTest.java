package io.beeperkeeper.media.mp4;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.media.AudioTrack;
import io.beeperkeeper.media.Ffmpeg;
import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.MediaKind;
import io.beeperkeeper.media.Tracks;
import io.beeperkeeper.media.VideoTrack;
import io.beeperkeeper.media.audio.AdtsReader;
import io.beeperkeeper.media.audio.AudioPacketSink;
import io.beeperkeeper.media.audio.OggOpusReader;
import io.beeperkeeper.media.h264.AccessUnit;
import io.beeperkeeper.media.h264.AnnexBReader;
import io.beeperkeeper.media.h264.Sps;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class Fmp4MuxerTest {
    static List<AccessUnit> video;
    static VideoTrack videoTrack;

    @TempDir
    Path dir;

    @BeforeAll
    static void encodeVideo() throws Exception {
        video = AnnexBReader.parseAll(Ffmpeg.h264(2, "-preset", "ultrafast", "-tune", "zerolatency"));
        AccessUnit first = video.get(0);
        Sps sps = Sps.parse(first.sps());
        videoTrack = new VideoTrack(sps.codecString(), sps.profileIdc(), sps.levelIdc(), sps.width(), sps.height(), 15,
                first.sps(), first.pps());
    }

    @Test
    void videoOnlyInitAndFragmentsAreReadByFfprobe() throws Exception {
        Path file = mux(Tracks.videoOnly(videoTrack), List.of());
        JsonNode probe = probe(file);
        assertThat(probe.at("/streams")).hasSize(1);
        JsonNode v = probe.at("/streams/0");
        assertThat(v.get("codec_name").asText()).isEqualTo("h264");
        assertThat(v.get("width").asInt()).isEqualTo(320);
        assertThat(v.get("height").asInt()).isEqualTo(240);
        assertThat(v.get("nb_read_frames").asInt()).isEqualTo(30);
        assertThat(v.get("time_base").asText()).isEqualTo("1/90000");
        assertThat(probe.at("/format/format_name").asText()).contains("mp4");
        assertDecodesCleanly(file);
    }

    @Test
    void opusAudioTrackGetsDopsAndDecodes() throws Exception {
        byte[] ogg = ffmpegAudio("-c:a", "libopus", "-b:a", "48k", "-ac", "1", "-f", "ogg");
        Collected audio = new Collected();
        new OggOpusReader(audio).run(new ByteArrayInputStream(ogg));
        assertThat(audio.track.codec()).isEqualTo(AudioTrack.Codec.OPUS);
        assertThat(audio.track.codecString()).isEqualTo("opus");

        Path file = mux(Tracks.of(videoTrack, audio.track), audio.frames);
        JsonNode probe = probe(file);
        assertThat(probe.at("/streams")).hasSize(2);
        JsonNode a = probe.at("/streams/1");
        assertThat(a.get("codec_name").asText()).isEqualTo("opus");
        assertThat(a.get("sample_rate").asInt()).isEqualTo(48000);
        assertThat(a.get("channels").asInt()).isEqualTo(1);
        assertThat(a.get("nb_read_frames").asInt()).isEqualTo(audio.frames.size());
        assertDecodesCleanly(file);
    }

    @Test
    void aacAudioTrackGetsEsdsAndDecodes() throws Exception {
        byte[] adts = ffmpegAudio("-c:a", "aac", "-b:a", "64k", "-ac", "1", "-ar", "44100", "-f", "adts");
        Collected audio = new Collected();
        new AdtsReader(audio).run(new ByteArrayInputStream(adts));
        assertThat(audio.track.codecString()).isEqualTo("mp4a.40.2");
        assertThat(audio.track.sampleRate()).isEqualTo(44100);

        Path file = mux(Tracks.of(videoTrack, audio.track), audio.frames);
        JsonNode a = probe(file).at("/streams/1");
        assertThat(a.get("codec_name").asText()).isEqualTo("aac");
        assertThat(a.get("profile").asText()).isEqualTo("LC");
        assertThat(a.get("sample_rate").asInt()).isEqualTo(44100);
        assertThat(a.get("nb_read_frames").asInt()).isEqualTo(audio.frames.size());
        assertDecodesCleanly(file);
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

    private byte[] ffmpegAudio(String... codec) throws Exception {
        Path out = dir.resolve("audio.bin");
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i",
                "sine=frequency=440:duration=2"));
        cmd.addAll(List.of(codec));
        cmd.add(out.toString());
        assertThat(Ffmpeg.run(cmd.toArray(String[]::new)).exit()).isZero();
        return Files.readAllBytes(out);
    }

    /** Muxes the video (starting at 1 s on the stream clock) and audio frames, interleaved by time. */
    private Path mux(Tracks tracks, List<Frame> audio) throws Exception {
        List<Frame> frames = new ArrayList<>(audio);
        long t = 1_000_000;
        for (AccessUnit au : video) {
            frames.add(new Frame(MediaKind.VIDEO, t, 66_667, au.keyframe(), au.nals(), 0));
            t += 1_000_000 / 15;
        }
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

    private static JsonNode probe(Path file) throws Exception {
        Ffmpeg.Result r = Ffmpeg.run("ffprobe", "-v", "error", "-count_frames", "-show_streams", "-show_format", "-of", "json",
                file.toString());
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stderr()).isEmpty();
        return new ObjectMapper().readTree(r.stdout());
    }

    private static void assertDecodesCleanly(Path file) throws Exception {
        Ffmpeg.Result r = Ffmpeg.run("ffmpeg", "-hide_banner", "-v", "error", "-i", file.toString(), "-f", "null", "-");
        assertThat(r.exit()).isZero();
        assertThat(r.stderr()).isEmpty();
    }

    static final class Collected implements AudioPacketSink {
        AudioTrack track;
        final List<Frame> frames = new ArrayList<>();
        long samples;

        @Override
        public void onTrack(AudioTrack t) {
            track = t;
        }

        @Override
        public void onPacket(byte[] packet, int n) {
            long rate = track.timescale();
            frames.add(new Frame(MediaKind.AUDIO, 1_000_000 + samples * 1_000_000 / rate, n * 1_000_000L / rate, true,
                    List.of(packet), 0));
            samples += n;
        }
    }
}

package io.beeperkeeper.media.mp4;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.media.AudioTrack;
import io.beeperkeeper.media.Ffmpeg;
import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.MediaKind;
import io.beeperkeeper.media.VideoTrack;
import io.beeperkeeper.media.audio.AdtsReader;
import io.beeperkeeper.media.audio.AudioPacketSink;
import io.beeperkeeper.media.audio.OggOpusReader;
import io.beeperkeeper.media.h264.AccessUnit;
import io.beeperkeeper.media.h264.AnnexBReader;
import io.beeperkeeper.media.h264.Sps;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Real media for the MP4 tests: x264 video, Opus and AAC audio from ffmpeg, and ffprobe/ffmpeg checks of a file. */
public final class Mp4TestMedia {
    private Mp4TestMedia() {
    }

    /** Two seconds of 320x240 at 15 fps, a keyframe every 15 frames, with its track. */
    public record Video(List<AccessUnit> units, VideoTrack track) {
        /** The access units as relay frames, the first at {@code startUs}, 15 fps. */
        public List<Frame> frames(long startUs) {
            List<Frame> frames = new ArrayList<>();
            long t = startUs;
            for (AccessUnit au : units) {
                frames.add(new Frame(MediaKind.VIDEO, t, 66_667, au.keyframe(), au.nals(), 0));
                t += 1_000_000 / 15;
            }
            return frames;
        }
    }

    public static Video video() throws Exception {
        List<AccessUnit> units = AnnexBReader.parseAll(Ffmpeg.h264(2, "-preset", "ultrafast", "-tune", "zerolatency"));
        AccessUnit first = units.get(0);
        Sps sps = Sps.parse(first.sps());
        return new Video(units, new VideoTrack(sps.codecString(), sps.profileIdc(), sps.levelIdc(), sps.width(),
                sps.height(), 15, first.sps(), first.pps()));
    }

    /** Two seconds of Opus (mono, 48 kHz) as frames starting at {@code startUs}. */
    public static Collected opus(Path dir, long startUs) throws Exception {
        Collected audio = new Collected(startUs);
        new OggOpusReader(audio).run(new ByteArrayInputStream(
                ffmpegAudio(dir, "-c:a", "libopus", "-b:a", "48k", "-ac", "1", "-f", "ogg")));
        return audio;
    }

    /** Two seconds of AAC-LC (mono, 44.1 kHz) as frames starting at {@code startUs}. */
    public static Collected aac(Path dir, long startUs) throws Exception {
        Collected audio = new Collected(startUs);
        new AdtsReader(audio).run(new ByteArrayInputStream(
                ffmpegAudio(dir, "-c:a", "aac", "-b:a", "64k", "-ac", "1", "-ar", "44100", "-f", "adts")));
        return audio;
    }

    private static byte[] ffmpegAudio(Path dir, String... codec) throws Exception {
        Path out = dir.resolve("audio.bin");
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i",
                "sine=frequency=440:duration=2"));
        cmd.addAll(List.of(codec));
        cmd.add(out.toString());
        assertThat(Ffmpeg.run(cmd.toArray(String[]::new)).exit()).isZero();
        return Files.readAllBytes(out);
    }

    /** ffprobe's streams and format of the file (frames counted); fails on any ffprobe complaint. */
    public static JsonNode probe(Path file) throws Exception {
        Ffmpeg.Result r = Ffmpeg.run("ffprobe", "-v", "error", "-count_frames", "-show_streams", "-show_format", "-of", "json",
                file.toString());
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stderr()).isEmpty();
        return new ObjectMapper().readTree(r.stdout());
    }

    /** The file's top-level boxes in order (ftyp, moov, mdat for a faststart MP4). */
    public static List<String> boxes(Path file) throws Exception {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Files.readAllBytes(file));
        List<String> types = new ArrayList<>();
        while (b.remaining() >= 8) {
            int at = b.position();
            long size = b.getInt() & 0xFFFFFFFFL;
            byte[] type = new byte[4];
            b.get(type);
            types.add(new String(type, java.nio.charset.StandardCharsets.US_ASCII));
            if (size < 8 || at + size > b.limit()) {
                break;
            }
            b.position((int) (at + size));
        }
        return types;
    }

    /** The movie's bytes, as the hub serves them, in a file for ffprobe (the hub itself never writes one). */
    public static Path save(Mp4Movie movie, Path file) throws Exception {
        try (java.io.InputStream in = movie.open()) {
            Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertThat(Files.size(file)).isEqualTo(movie.size());
        return file;
    }

    /** ffmpeg decodes every frame of the file without an error. */
    public static void assertDecodesCleanly(Path file) throws Exception {
        Ffmpeg.Result r = Ffmpeg.run("ffmpeg", "-hide_banner", "-v", "error", "-i", file.toString(), "-f", "null", "-");
        assertThat(r.exit()).isZero();
        assertThat(r.stderr()).isEmpty();
    }

    /** Audio packets as relay frames, timed by their sample counts. */
    public static final class Collected implements AudioPacketSink {
        public AudioTrack track;
        public final List<Frame> frames = new ArrayList<>();
        private final long startUs;
        private long samples;

        Collected(long startUs) {
            this.startUs = startUs;
        }

        @Override
        public void onTrack(AudioTrack t) {
            track = t;
        }

        @Override
        public void onPacket(byte[] packet, int n) {
            long rate = track.timescale();
            frames.add(new Frame(MediaKind.AUDIO, startUs + samples * 1_000_000 / rate, n * 1_000_000L / rate, true,
                    List.of(packet), 0));
            samples += n;
        }
    }
}

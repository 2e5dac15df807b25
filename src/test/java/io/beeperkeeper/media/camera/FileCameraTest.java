package io.beeperkeeper.media.camera;

import io.beeperkeeper.config.BeeperConfig;
import io.beeperkeeper.config.CameraConfig;
import io.beeperkeeper.config.ConfigException;
import io.beeperkeeper.config.ConfigLoader;
import io.beeperkeeper.media.AudioTrack;
import io.beeperkeeper.media.Ffmpeg;
import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.FrameQueue;
import io.beeperkeeper.media.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The file source: a recorded clip looped as a camera, copied without transcoding; what the config refuses. */
class FileCameraTest {
    @TempDir
    Path dir;

    /** A 2 s clip, 320x240@15 with a keyframe every second, H.264 without B-frames plus the given audio. */
    static Path clip(Path dir, String name, String... codecArgs) throws Exception {
        Path file = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", "2"));
        cmd.addAll(List.of(codecArgs));
        cmd.add(file.toString());
        Ffmpeg.Result r = Ffmpeg.run(cmd.toArray(String[]::new));
        assertThat(r.exit()).as(r.stderr()).isZero();
        return file;
    }

    static Path h264Clip(Path dir, String name, String audioCodec) throws Exception {
        return clip(dir, name, "-c:v", "libx264", "-preset", "ultrafast", "-g", "15", "-bf", "0", "-c:a", audioCodec);
    }

    @Test
    void aClipWithAacPlaysInALoopWithTimeRunningOnPastTheLoopPoint() throws Exception {
        Path file = h264Clip(dir, "coop.mp4", "aac");
        CameraConfig config = CameraConfig.file(file.toString()).validated("coop");
        assertThat(config.audio()).as("the file's own audio is copied by default").isEqualTo("aac");
        assertThat(config.width()).isEqualTo(320);
        assertThat(config.fps()).isEqualTo(15);
        Stream stream = new Stream("coop");
        try (CameraSupervisor cam = CameraSupervisor.forConfig("coop", config, CameraSupervisorTest.MEDIA, stream)) {
            cam.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> cam.state().status() == CameraState.Status.LIVE);
            assertThat(stream.tracks().orElseThrow().video().width()).isEqualTo(320);
            assertThat(stream.tracks().orElseThrow().audio()).get().extracting(AudioTrack::codec).isEqualTo(AudioTrack.Codec.AAC);

            FrameQueue q = new FrameQueue(2_000, 50_000_000);
            List<Frame> video = new ArrayList<>();
            List<Frame> audio = new ArrayList<>();
            try (Stream.Subscription s = stream.subscribe(q)) {
                // 4 s of media: two full passes of the 2 s clip, so at least one loop point went by
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    FrameQueue.Item item;
                    while ((item = q.poll()) != null) {
                        if (item.frame() != null) {
                            (item.frame().isVideo() ? video : audio).add(item.frame());
                        }
                    }
                    return video.size() >= 60;
                });
            }
            assertThat(video.stream().filter(Frame::keyframe).count()).as("a keyframe every second, loop after loop").isGreaterThanOrEqualTo(3);
            for (int i = 1; i < video.size(); i++) {
                assertThat(video.get(i).timeUs()).as("video time never goes back at the loop point").isGreaterThan(video.get(i - 1).timeUs());
            }
            long span = video.get(video.size() - 1).timeUs() - video.get(0).timeUs();
            assertThat(span).as("played at the clip's own pace (-re), not as fast as it can be read").isGreaterThan(3_000_000);
            assertThat(audio.size()).as("AAC frames of 1024 samples at 48 kHz keep coming past the loop").isGreaterThan(100);
            assertThat(cam.state().restarts()).as("looping is not restarting").isZero();
        }
    }

    @Test
    void aClipWithOpusInMatroskaCopiesItsOpus() throws Exception {
        Path file = h264Clip(dir, "coop.mkv", "libopus");
        CameraConfig config = CameraConfig.file(file.toString()).validated("coop");
        assertThat(config.audio()).isEqualTo("opus");
        Stream stream = new Stream("coop");
        try (CameraSupervisor cam = CameraSupervisor.forConfig("coop", config, CameraSupervisorTest.MEDIA, stream)) {
            cam.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> stream.tracks().flatMap(t -> t.audio()).isPresent());
            assertThat(stream.tracks().orElseThrow().audio().orElseThrow().codec()).isEqualTo(AudioTrack.Codec.OPUS);
        }
    }

    @Test
    void theConfigRefusesAMissingFileAVideoThatIsNotH264BFramesAndAudioTheFileLacks() throws Exception {
        Path yaml = dir.resolve("beeper.yaml");
        Files.writeString(yaml, "cameras:\n  demo:\n    source: file\n    file: " + dir.resolve("nowhere.mp4") + "\n");
        assertThatThrownBy(() -> new ConfigLoader().load(yaml, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cameras.demo.file").hasMessageContaining("no such file");

        Path hevc = clip(dir, "hevc.mp4", "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error", "-an");
        assertThatThrownBy(() -> CameraConfig.file(hevc.toString()).validated("demo"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cameras.demo.file").hasMessageContaining("hevc")
                .hasMessageContaining("ffmpeg -i " + hevc + " -c:v libx264 -bf 0");

        Path bframes = clip(dir, "b.mp4", "-c:v", "libx264", "-preset", "medium", "-an");
        assertThatThrownBy(() -> CameraConfig.file(bframes.toString()).validated("demo"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("B-frames").hasMessageContaining("-bf 0");

        Path silent = clip(dir, "silent.mp4", "-c:v", "libx264", "-preset", "ultrafast", "-bf", "0", "-an");
        Files.writeString(yaml, "cameras:\n  demo:\n    source: file\n    file: " + silent + "\n    audio: aac\n");
        assertThatThrownBy(() -> new ConfigLoader().load(yaml, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cameras.demo.audio").hasMessageContaining("absent");

        Files.writeString(yaml, "cameras:\n  demo:\n    source: file\n    file: " + silent + "\n");
        BeeperConfig ok = new ConfigLoader().load(yaml, Map.of(), Map.of());
        assertThat(ok.cameras().entries().get("demo").hasAudio()).isFalse();
    }
}

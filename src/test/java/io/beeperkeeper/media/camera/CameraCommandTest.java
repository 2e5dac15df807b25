package io.beeperkeeper.media.camera;

import io.beeperkeeper.config.CameraConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CameraCommandTest {
    static CameraConfig cfg(String source, String audio, String url) {
        return new CameraConfig(source, null, null, null, null, null, null, audio, null, null, url, null).validated("c");
    }

    @Test
    void rpicamUsesTheHardwareEncoderWithInlineHeadersAndTheConfiguredSize() {
        CameraCommand c = CameraCommand.build(new CameraConfig("rpicam", null, null, null, null, null, null, null, null, null, null,
                "/run/beeper/csi-metadata").validated("csi"), "ffmpeg", null);
        assertThat(c.argv()).startsWith("rpicam-vid").containsSequence("--width", "800").containsSequence("--height", "600")
                .containsSequence("--framerate", "15").containsSequence("--intra", "30").contains("--inline")
                .containsSequence("--metadata", "/run/beeper/csi-metadata").endsWith("-o", "-");
        assertThat(c.audioFormat()).isNull();
    }

    @Test
    void v4l2EncodesWithoutBFramesAndSendsOpusToTheAudioUrl() {
        CameraCommand c = CameraCommand.build(cfg("v4l2", null, null), "ffmpeg", "tcp://127.0.0.1:5000");
        assertThat(c.argv()).containsSequence("-f", "v4l2", "-input_format", "yuyv422", "-video_size", "640x480", "-framerate", "10")
                .containsSequence("-tune", "zerolatency", "-bf", "0").containsSequence("-g", "20")
                .containsSequence("-f", "alsa").containsSequence("-c:a", "libopus").contains("tcp://127.0.0.1:5000");
        assertThat(c.audioFormat()).isEqualTo("ogg");
        // Camera and microphone keep their capture times, so ffmpeg does not hold pictures back for the sound.
        assertThat(c.argv()).contains("-copyts").containsSequence("-ts", "mono2abs", "-i", "/dev/video0");
        assertThat(c.argv().indexOf("-copyts")).isLessThan(c.argv().indexOf("-i"));
    }

    @Test
    void v4l2WithoutMicrophoneLeavesTimestampsAlone() {
        CameraCommand c = CameraCommand.build(cfg("v4l2", "none", null), "ffmpeg", null);
        assertThat(c.argv()).doesNotContain("-copyts", "mono2abs", "alsa");
    }

    @Test
    void testToneComesFromTheSameFilterGraphAsThePicture() {
        CameraCommand c = CameraCommand.build(cfg("test", "opus", null), "ffmpeg", "tcp://127.0.0.1:5002");
        // One input: a second, separately paced input would make ffmpeg hold every picture for the tone.
        assertThat(c.argv().stream().filter("-i"::equals)).hasSize(1);
        assertThat(c.argv()).doesNotContain("-re").containsSequence("-map", "0:a");
        String filter = c.argv().get(c.argv().indexOf("-i") + 1);
        assertThat(filter).contains("[out0];sine=").contains("arealtime").endsWith("[out1]")
                .contains("drawbox").contains("lt(mod(t\\,1)\\,0.1)").contains("gte(mod(t\\,1)\\,0.1)");
        assertThat(c.withPcmTap("tcp://127.0.0.1:5003").argv()).containsSequence("-map", "0:a", "-ac", "1");
    }

    @Test
    void aLoweredEncodingCapturesAsConfiguredAndDropsFramesThenScalesBeforeTheEncoder() {
        CameraConfig usb = cfg("v4l2", "none", null);
        CameraCommand c = CameraCommand.build(usb, "ffmpeg", null, new VideoEncoding(5, 320, 240));
        // the webcam keeps its mode (640x480@10 YUYV); ffmpeg lowers the picture, and keeps 2 s between keyframes
        assertThat(c.argv()).containsSequence("-video_size", "640x480", "-framerate", "10")
                .containsSequence("-vf", "fps=5,scale=320:240").containsSequence("-g", "10");
        assertThat(c.argv().indexOf("-vf")).isLessThan(c.argv().indexOf("libx264"));
        assertThat(CameraCommand.build(cfg("test", "none", null), "ffmpeg", null, new VideoEncoding(7, 640, 480)).argv())
                .containsSequence("-vf", "fps=7").containsSequence("-g", "14");
        assertThat(CameraCommand.build(usb, "ffmpeg", null, VideoEncoding.of(usb)).argv()).doesNotContain("-vf");
        // a hardware encoder or a copied stream is never re-encoded
        CameraConfig csi = new CameraConfig("rpicam", null, null, null, null, null, null, null, null, null, null, null).validated("csi");
        assertThat(CameraCommand.build(csi, "ffmpeg", null, new VideoEncoding(5, 320, 240)))
                .isEqualTo(CameraCommand.build(csi, "ffmpeg", null));
    }

    @Test
    void rtspIsRemuxedWithoutTranscoding() {
        CameraCommand c = CameraCommand.build(cfg("rtsp", "aac", "rtsp://cam.local/stream"), "ffmpeg", "tcp://127.0.0.1:5001");
        assertThat(c.argv()).containsSequence("-i", "rtsp://cam.local/stream").containsSequence("-c:v", "copy")
                .containsSequence("-c:a", "copy", "-f", "adts").doesNotContain("libx264");
        assertThat(c.audioFormat()).isEqualTo("adts");
    }

    @Test
    void testSourceStampsTheRealTimeClockInTheFilterGraph() {
        CameraCommand c = CameraCommand.build(cfg("test", "none", null), "ffmpeg", null);
        String filter = c.argv().get(c.argv().indexOf("-i") + 1);
        assertThat(filter).contains("settb=AVTB,setpts=RTCTIME-").contains("%{pts\\:hms}").endsWith("setpts=N/FRAME_RATE/TB");
        assertThat(c.argv()).doesNotContain("sine=frequency=440:sample_rate=48000");
    }
}

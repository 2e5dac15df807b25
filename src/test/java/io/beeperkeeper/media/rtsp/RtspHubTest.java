package io.beeperkeeper.media.rtsp;

import io.beeperkeeper.App;
import io.beeperkeeper.Ports;
import io.beeperkeeper.TestHub;
import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.media.Ffmpeg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The hub as a user runs it serves its default cameras over RTSP, and says so in /api/health. */
class RtspHubTest {
    @TempDir
    Path dir;

    @Test
    void theHubServesBothDefaultCamerasOverRtsp() throws Exception {
        int port = Ports.freePort();
        try (App hub = TestHub.start(dir, null, Map.of("rtsp.port", String.valueOf(port)), Clock.systemUTC())) {
            await().atMost(Duration.ofSeconds(90)).until(() -> hub.health().snapshot().get("camera.usb").status() == ComponentHealth.Status.UP
                    && hub.health().snapshot().get("camera.csi").status() == ComponentHealth.Status.UP);
            assertThat(hub.health().snapshot().get("rtsp").detail()).contains(":" + port + "/<camera>");
            Ffmpeg.Result usb = Ffmpeg.run("ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0",
                    "rtsp://127.0.0.1:" + port + "/usb");
            assertThat(usb.exit()).as(usb.stderr()).isZero();
            assertThat(usb.stdout().lines().toList()).containsExactly("h264", "opus");
            Ffmpeg.Result csi = Ffmpeg.run("ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0",
                    "rtsp://127.0.0.1:" + port + "/csi");
            assertThat(csi.stdout().lines().toList()).containsExactly("h264");
        }
    }
}

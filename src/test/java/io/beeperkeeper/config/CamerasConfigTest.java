package io.beeperkeeper.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CamerasConfigTest {
    @TempDir
    Path dir;

    private BeeperConfig load(String yaml) throws Exception {
        Path file = dir.resolve("beeper.yaml");
        Files.writeString(file, yaml);
        return new ConfigLoader().load(file, Map.of(), Map.of());
    }

    @Test
    void noCamerasMeansTwoTestCamerasOneWithATone() throws Exception {
        BeeperConfig c = new ConfigLoader().load(null, Map.of(), Map.of());
        assertThat(c.cameras().entries()).isEmpty();
        assertThat(c.cameras().effective()).containsOnlyKeys("csi", "usb");
        assertThat(c.cameras().effective().get("csi").hasAudio()).isFalse();
        assertThat(c.cameras().effective().get("usb").audio()).isEqualTo("opus");
        assertThat(c.media().hangSeconds()).isEqualTo(5);
    }

    @Test
    void camerasFromYamlGetTheirSourceDefaults() throws Exception {
        BeeperConfig c = load("""
                cameras:
                  coop:
                    source: rpicam
                  barn:
                    source: v4l2
                    audio: aac
                    device: /dev/video2
                media:
                  hangSeconds: 8
                """);
        CameraConfig coop = c.cameras().effective().get("coop");
        assertThat(coop).extracting(CameraConfig::width, CameraConfig::height, CameraConfig::fps).containsExactly(800, 600, 15);
        CameraConfig barn = c.cameras().entries().get("barn");
        assertThat(barn).extracting(CameraConfig::width, CameraConfig::fps, CameraConfig::audio, CameraConfig::device)
                .containsExactly(640, 10, "aac", "/dev/video2");
        assertThat(c.cameras().effective()).containsOnlyKeys("coop", "barn");
        assertThat(c.media().hangSeconds()).isEqualTo(8);
    }

    @Test
    void badCameraValuesAreRefusedWithTheirKey() {
        assertThatThrownBy(() -> load("cameras:\n  csi:\n    source: webcam\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cameras.csi.source").hasMessageContaining("rpicam");
        assertThatThrownBy(() -> load("cameras:\n  csi:\n    source: test\n    fps: 0\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cameras.csi.fps");
        assertThatThrownBy(() -> load("cameras:\n  ip:\n    source: rtsp\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cameras.ip.url");
        assertThatThrownBy(() -> load("cameras:\n  Bad Name:\n    source: test\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("lower-case");
        assertThatThrownBy(() -> load("cameras:\n  csi:\n    source: test\n    colour: red\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("colour");
    }
}

package io.beeperkeeper.thermal;

import io.beeperkeeper.ManualClock;
import io.beeperkeeper.config.CameraConfig;
import io.beeperkeeper.config.MediaConfig;
import io.beeperkeeper.config.ThermalConfig;
import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.media.Cameras;
import io.beeperkeeper.media.camera.CameraSupervisor;
import io.beeperkeeper.media.camera.VideoEncoding;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The feature applies each step to the software-encoded cameras only, counts it per camera and shows
 * it in health; the cameras are built but not started, so no process runs.
 */
class ThermalFeatureTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-06-01T12:00:00Z"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private volatile Heat heat = Heat.of(50);
    private volatile boolean unreadable;
    private final HeatProbe probe = new HeatProbe() {
        @Override
        public Heat read() throws IOException {
            if (unreadable) {
                throw new IOException("No such file");
            }
            return heat;
        }

        @Override
        public boolean available() {
            return true;
        }

        @Override
        public String describe() {
            return "fake zone";
        }
    };

    private static Cameras cameras() {
        Map<String, CameraConfig> c = new LinkedHashMap<>();
        c.put("csi", new CameraConfig("rpicam", null, null, null, null, null, null, null, null, null, null, null).validated("csi"));
        c.put("usb", new CameraConfig("v4l2", null, null, null, null, null, null, "none", null, null, null, null).validated("usb"));
        c.put("gate", new CameraConfig("rtsp", null, null, null, null, null, null, "none", null, null,
                "rtsp://127.0.0.1:1/x", null).validated("gate"));
        return new Cameras(c, MediaConfig.defaults());
    }

    @Test
    void stepsTheSoftwareEncodedCameraAndLeavesRpicamAndCopiedStreamsAlone() {
        Cameras cams = cameras();
        CameraSupervisor csi = cams.get("csi").orElseThrow();
        CameraSupervisor usb = cams.get("usb").orElseThrow();
        CameraSupervisor gate = cams.get("gate").orElseThrow();
        ThermalFeature f = new ThermalFeature(ThermalConfig.defaults(), cams, probe, clock, meters);
        f.poll();
        assertThat(health(f).status()).isEqualTo(ComponentHealth.Status.UP);
        assertThat(health(f).detail()).contains("full", "50.0 °C", "cameras usb", "left alone: csi (rpicam), gate (rtsp)");

        heat = Heat.of(69, 0x80008);
        f.poll();
        assertThat(usb.encoding().encoding()).isEqualTo(new VideoEncoding(5, 640, 480));
        assertThat(usb.encoding().why()).contains("69.0 °C", "throttled", "half frame rate");
        clock.advance(Duration.ofSeconds(60));
        f.poll();
        assertThat(usb.encoding().encoding()).isEqualTo(new VideoEncoding(5, 320, 240));
        assertThat(f.level()).isEqualTo(ThermalLevel.REDUCED_FPS_AND_SIZE);
        assertThat(health(f).status()).isEqualTo(ComponentHealth.Status.DEGRADED);
        assertThat(health(f).detail()).contains("half frame rate and size", "0x80008");
        // never touched: rpicam's hardware encoder and the copied RTSP stream
        for (CameraSupervisor alone : new CameraSupervisor[] {csi, gate}) {
            assertThat(alone.encoding().encoding()).isEqualTo(VideoEncoding.of(alone.config()));
            assertThat(alone.encoding().why()).isEmpty();
            assertThat(Cameras.lowered(alone)).isNull();
            assertThat(alone.reencode(new VideoEncoding(1, 16, 16), "asked")).as("refused").isFalse();
        }
        assertThat(Cameras.lowered(usb)).containsEntry("fps", 5).containsEntry("width", 320).containsEntry("height", 240);
        assertThat(meters.find("beeper.thermal.steps").tags("camera", "usb", "direction", "down").functionCounter().count()).isEqualTo(2);
        assertThat(meters.find("beeper.thermal.level").tag("camera", "usb").gauge().value()).isEqualTo(2);
        assertThat(meters.find("beeper.thermal.level").tag("camera", "csi").gauge()).isNull();

        heat = Heat.of(55, 0x80000);
        for (int i = 0; i < 5; i++) {
            f.poll();
            clock.advance(Duration.ofSeconds(30));
        }
        f.poll();
        assertThat(usb.encoding().encoding()).isEqualTo(VideoEncoding.of(usb.config()));
        assertThat(usb.encoding().why()).isEmpty();
        assertThat(Cameras.lowered(usb)).isNull();
        assertThat(meters.find("beeper.thermal.steps").tags("camera", "usb", "direction", "up").functionCounter().count()).isEqualTo(2);
        assertThat(meters.find("beeper.thermal.level").tag("camera", "usb").gauge().value()).isZero();
        assertThat(usb.state().restarts()).as("planned restarts are not counted").isZero();
    }

    @Test
    void anUnreadableZoneIsAHealthStateNamingTheKey() {
        ThermalFeature f = new ThermalFeature(ThermalConfig.defaults(), cameras(), probe, clock, meters);
        unreadable = true;
        f.poll();
        assertThat(health(f).status()).isEqualTo(ComponentHealth.Status.DEGRADED);
        assertThat(health(f).detail()).contains("fake zone", "thermal.thermalZone");
        unreadable = false;
        f.poll();
        assertThat(health(f).status()).isEqualTo(ComponentHealth.Status.UP);
    }

    private static ComponentHealth health(ThermalFeature f) {
        return f.health().get(0).state().get();
    }
}

package io.beeperkeeper.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The motion section: defaults, per-camera overrides with zones, refusals naming the key. */
class MotionConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsLookTwiceASecondAtASmallPicture() {
        MotionConfig m = BeeperConfig.defaults().motion();
        assertThat(m.enabled()).isTrue();
        assertThat(m.fps()).isEqualTo(2);
        assertThat(m.width()).isEqualTo(160);
        assertThat(m.height()).isEqualTo(120);
        assertThat(m.night()).isEqualTo(MotionConfig.Night.AUTO);
        MotionConfig.Settings s = m.forCamera("csi");
        assertThat(s.enabled()).isTrue();
        assertThat(s.sensitivity()).isEqualTo(0.5);
        assertThat(s.zones()).isEmpty();
    }

    @Test
    void aCameraOverridesTheSectionAndHasZonesAndMasks() throws Exception {
        Path yaml = Files.writeString(dir.resolve("beeper.yaml"), """
                motion:
                  sensitivity: 0.7
                  night: off
                  cameras:
                    coop:
                      minArea: 0.05
                      night: on
                      zones:
                        - name: nest
                          points: [[0.1, 0.1], [0.5, 0.1], [0.5, 0.6]]
                      masks:
                        - points: [[0, 0], [1, 0], [1, 0.1], [0, 0.1]]
                    usb:
                      enabled: false
                """);
        MotionConfig m = new ConfigLoader().load(yaml, Map.of("BEEPER_MOTION_FPS", "1"), Map.of()).motion();
        assertThat(m.fps()).isEqualTo(1);
        assertThat(m.night()).isEqualTo(MotionConfig.Night.OFF);
        MotionConfig.Settings coop = m.forCamera("coop");
        assertThat(coop.sensitivity()).isEqualTo(0.7);
        assertThat(coop.minArea()).isEqualTo(0.05);
        assertThat(coop.night()).isEqualTo(MotionConfig.Night.ON);
        assertThat(coop.zones()).singleElement().satisfies(z -> {
            assertThat(z.name()).isEqualTo("nest");
            assertThat(z.contains(0.4, 0.2)).isTrue();
            assertThat(z.contains(0.2, 0.5)).isFalse();
        });
        assertThat(coop.masks()).singleElement().satisfies(z -> assertThat(z.name()).isEqualTo("mask 1"));
        assertThat(m.forCamera("usb").enabled()).isFalse();
        assertThat(m.forCamera("other").minArea()).isEqualTo(0.01);
    }

    @Test
    void refusesBadValuesNamingTheKey() throws Exception {
        assertThatThrownBy(() -> new ConfigLoader().load(null, Map.of("BEEPER_MOTION_FPS", "15"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("motion.fps").hasMessageContaining("1 to 5");
        assertThatThrownBy(() -> new ConfigLoader().load(null, Map.of("BEEPER_MOTION_NIGHT", "dusk"), Map.of()))
                .hasMessageContaining("motion.night").hasMessageContaining("auto, on, off");
        assertThatThrownBy(() -> new ConfigLoader().load(null, Map.of("BEEPER_MOTION_SENSITIVITY", "2"), Map.of()))
                .hasMessageContaining("motion.sensitivity").hasMessageContaining("0");
        Path area = Files.writeString(dir.resolve("a.yaml"), "motion:\n  cameras:\n    coop:\n      minArea: 0\n");
        assertThatThrownBy(() -> new ConfigLoader().load(area, Map.of(), Map.of()))
                .hasMessageContaining("motion.cameras.coop.minArea");
        Path zone = Files.writeString(dir.resolve("z.yaml"),
                "motion:\n  cameras:\n    coop:\n      zones:\n        - points: [[0, 0], [1.5, 0], [1, 1]]\n");
        assertThatThrownBy(() -> new ConfigLoader().load(zone, Map.of(), Map.of()))
                .hasMessageContaining("motion.cameras.coop.zones[0].points").hasMessageContaining("0 to 1");
        Path two = Files.writeString(dir.resolve("t.yaml"),
                "motion:\n  cameras:\n    coop:\n      masks:\n        - points: [[0, 0], [1, 0]]\n");
        assertThatThrownBy(() -> new ConfigLoader().load(two, Map.of(), Map.of()))
                .hasMessageContaining("motion.cameras.coop.masks[0].points").hasMessageContaining("3 to 64");
        Path typo = Files.writeString(dir.resolve("typo.yaml"), "motion:\n  sensitivty: 0.5\n");
        assertThatThrownBy(() -> new ConfigLoader().load(typo, Map.of(), Map.of()))
                .hasMessageContaining("motion.sensitivty").hasMessageContaining("sensitivity");
    }
}

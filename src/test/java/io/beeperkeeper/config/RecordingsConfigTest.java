package io.beeperkeeper.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The recordings section: the defaults, beeper.yaml and environment (bytes past 2^31 too), refusals naming the key. */
class RecordingsConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsKeepFiveSecondsOfPreRollAndMinuteLongClips() {
        RecordingsConfig r = BeeperConfig.defaults().recordings();
        assertThat(r.enabled()).isTrue();
        assertThat(r.preRollSeconds()).isEqualTo(5);
        assertThat(r.postRollSeconds()).isEqualTo(5);
        assertThat(r.maxClipSeconds()).isEqualTo(60);
        assertThat(r.maxBytes()).isEqualTo(2_000_000_000L);
        assertThat(r.maxAgeDays()).isEqualTo(14);
        assertThat(r.minFreeBytes()).isEqualTo(500_000_000L);
        assertThat(r.alertCameraList()).isEmpty();
    }

    @Test
    void readsTheFileAndTheEnvironment() throws Exception {
        Path yaml = Files.writeString(dir.resolve("beeper.yaml"),
                "recordings:\n  preRollSeconds: 8\n  maxClipSeconds: 30\n  alertCameras: coop, run\n");
        RecordingsConfig r = new ConfigLoader().load(yaml, Map.of("BEEPER_RECORDINGS_MAX_BYTES", "8000000000",
                "BEEPER_RECORDINGS_MIN_FREE_BYTES", "0"), Map.of()).recordings();
        assertThat(r.preRollSeconds()).isEqualTo(8);
        assertThat(r.maxClipSeconds()).isEqualTo(30);
        assertThat(r.maxBytes()).isEqualTo(8_000_000_000L);
        assertThat(r.minFreeBytes()).isZero();
        assertThat(r.alertCameraList()).isEqualTo(List.of("coop", "run"));
        assertThat(new ConfigLoader().load(null, Map.of(), Map.of("recordings.enabled", "false")).recordings().enabled()).isFalse();
    }

    @Test
    void refusesBadValuesNamingTheKey() throws Exception {
        assertThatThrownBy(() -> new ConfigLoader().load(null, Map.of("BEEPER_RECORDINGS_PRE_ROLL_SECONDS", "90"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("recordings.preRollSeconds").hasMessageContaining("0 to 30");
        assertThatThrownBy(() -> new ConfigLoader().load(null, Map.of("BEEPER_RECORDINGS_MAX_CLIP_SECONDS", "1"), Map.of()))
                .hasMessageContaining("recordings.maxClipSeconds").hasMessageContaining("5 to 3600");
        assertThatThrownBy(() -> new ConfigLoader().load(null, Map.of("BEEPER_RECORDINGS_MAX_BYTES", "2GB"), Map.of()))
                .hasMessageContaining("recordings.maxBytes").hasMessageContaining("whole number");
        assertThatThrownBy(() -> new ConfigLoader().load(null, Map.of("BEEPER_RECORDINGS_MAX_BYTES", "1000"), Map.of()))
                .hasMessageContaining("recordings.maxBytes").hasMessageContaining("10 MB");
        assertThatThrownBy(() -> new ConfigLoader().load(null, Map.of("BEEPER_RECORDINGS_MIN_FREE_BYTES", "-1"), Map.of()))
                .hasMessageContaining("recordings.minFreeBytes");
        assertThatThrownBy(() -> new ConfigLoader().load(null, Map.of("BEEPER_RECORDINGS_MAX_AGE_DAYS", "0"), Map.of()))
                .hasMessageContaining("recordings.maxAgeDays").hasMessageContaining("1 to 3650");
        assertThatThrownBy(() -> new ConfigLoader().load(null, Map.of("BEEPER_RECORDINGS_ALERT_CAMERAS", "Coop House"), Map.of()))
                .hasMessageContaining("recordings.alertCameras");
        Path typo = Files.writeString(dir.resolve("typo.yaml"), "recordings:\n  preroll: 5\n");
        assertThatThrownBy(() -> new ConfigLoader().load(typo, Map.of(), Map.of()))
                .hasMessageContaining("recordings.preroll").hasMessageContaining("preRollSeconds");
    }
}

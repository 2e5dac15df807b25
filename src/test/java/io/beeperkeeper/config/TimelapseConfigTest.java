package io.beeperkeeper.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The timelapse section: the defaults, beeper.yaml and environment, refusals naming the key. */
class TimelapseConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsKeepAKeyframeEvery30SecondsPlayedAt30Fps() {
        TimelapseConfig t = BeeperConfig.defaults().timelapse();
        assertThat(t.enabled()).isTrue();
        assertThat(t.intervalSeconds()).isEqualTo(30);
        assertThat(t.fps()).isEqualTo(30);
        assertThat(t.retentionDays()).isEqualTo(30);
    }

    @Test
    void readsTheFileAndTheEnvironment() throws Exception {
        Path yaml = Files.writeString(dir.resolve("beeper.yaml"), "timelapse:\n  intervalSeconds: 60\n  retentionDays: 7\n");
        TimelapseConfig t = new ConfigLoader().load(yaml, Map.of("BEEPER_TIMELAPSE_FPS", "25"), Map.of()).timelapse();
        assertThat(t.intervalSeconds()).isEqualTo(60);
        assertThat(t.retentionDays()).isEqualTo(7);
        assertThat(t.fps()).isEqualTo(25);
    }

    @Test
    void refusesBadValuesNamingTheKeyAndWhatIsAllowed() throws Exception {
        assertThatThrownBy(() -> new ConfigLoader().load(null, Map.of("BEEPER_TIMELAPSE_INTERVAL_SECONDS", "0"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("timelapse.intervalSeconds").hasMessageContaining("1 to 3600");
        assertThatThrownBy(() -> new ConfigLoader().load(null, Map.of("BEEPER_TIMELAPSE_FPS", "240"), Map.of()))
                .hasMessageContaining("timelapse.fps").hasMessageContaining("1 to 60");
        Path yaml = Files.writeString(dir.resolve("beeper.yaml"), "timelapse:\n  retentionDays: -1\n");
        assertThatThrownBy(() -> new ConfigLoader().load(yaml, Map.of(), Map.of()))
                .hasMessageContaining("timelapse.retentionDays").hasMessageContaining("1 to 3650");
        Path typo = Files.writeString(dir.resolve("typo.yaml"), "timelapse:\n  interval: 30\n");
        assertThatThrownBy(() -> new ConfigLoader().load(typo, Map.of(), Map.of()))
                .hasMessageContaining("timelapse.interval").hasMessageContaining("intervalSeconds");
        assertThatThrownBy(() -> new ConfigLoader().load(null, Map.of("BEEPER_TIMELAPSE_ENABLED", "sometimes"), Map.of()))
                .hasMessageContaining("timelapse.enabled").hasMessageContaining("true or false");
    }
}

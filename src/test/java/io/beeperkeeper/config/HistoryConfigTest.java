package io.beeperkeeper.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The history section: defaults, overrides through the loader, refusals that name the key. */
class HistoryConfigTest {
    @Test
    void defaultsKeepTheIssuesRetentionAndTheSeedsLuxLevel() {
        HistoryConfig h = HistoryConfig.defaults();
        assertThat(h.rawRetentionDays()).isEqualTo(14);
        assertThat(h.minuteRetentionDays()).isEqualTo(180);
        assertThat(h.hourRetentionDays()).isZero();
        assertThat(h.lightsOnLux()).isEqualTo(50);
        assertThat(h.influx().enabled()).isFalse();
    }

    @Test
    void loaderReadsNestedInfluxKeysFromTheEnvironment() {
        BeeperConfig c = new ConfigLoader().load(null, Map.of(
                "BEEPER_HISTORY_RAW_RETENTION_DAYS", "7",
                "BEEPER_HISTORY_INFLUX_ENABLED", "true",
                "BEEPER_HISTORY_INFLUX_URL", "http://10.0.0.5:8086"), Map.of());
        assertThat(c.history().rawRetentionDays()).isEqualTo(7);
        assertThat(c.history().influx().enabled()).isTrue();
        assertThat(c.history().influx().url()).isEqualTo("http://10.0.0.5:8086");
    }

    @Test
    void refusesBadValuesNamingTheKey() {
        assertThatThrownBy(() -> new ConfigLoader().load(null, Map.of("BEEPER_HISTORY_LIGHTS_OFF_LUX", "80"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("history.lightsOffLux");
        assertThatThrownBy(() -> new ConfigLoader().load(null, Map.of("BEEPER_HISTORY_TIME_ZONE", "Mars/Olympus"), Map.of()))
                .hasMessageContaining("history.timeZone");
        assertThatThrownBy(() -> new ConfigLoader().load(null, Map.of("BEEPER_HISTORY_INFLUX_ENABLED", "true",
                "BEEPER_HISTORY_INFLUX_VERSION", "2"), Map.of()))
                .hasMessageContaining("history.influx.token");
    }
}

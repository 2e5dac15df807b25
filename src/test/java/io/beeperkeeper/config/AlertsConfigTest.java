package io.beeperkeeper.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The alerts section: defaults on, retuning, the keeper's own rules, and bad rules refused with key and fix. */
class AlertsConfigTest {
    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader();

    private BeeperConfig load(String yaml) throws IOException {
        Path f = dir.resolve("beeper.yaml");
        Files.writeString(f, yaml);
        return loader.load(f, Map.of(), Map.of());
    }

    @Test
    void husbandryDefaultsAreOnAndCanBeRetunedOrSwitchedOff() throws IOException {
        AlertsConfig d = BeeperConfig.defaults().alerts();
        assertThat(d.enabled()).isTrue();
        assertThat(d.heatStress().enabled()).isTrue();
        assertThat(d.heatStress().alertThi()).isEqualTo(70);
        assertThat(d.cold().belowCelsius()).isEqualTo(0);
        assertThat(d.dayLength().minHours()).isEqualTo(14);
        assertThat(d.darkness().minHours()).isEqualTo(8);
        assertThat(d.air().iaqAbove()).isEqualTo(200);

        AlertsConfig c = load("alerts:\n  heatStress:\n    alertThi: 72\n  cold:\n    enabled: false\n").alerts();
        assertThat(c.heatStress().alertThi()).isEqualTo(72);
        assertThat(c.heatStress().dangerThi()).isEqualTo(75);
        assertThat(c.cold().enabled()).isFalse();
        assertThat(loader.load(null, Map.of("BEEPER_ALERTS_DARKNESS_ENABLED", "false"), Map.of()).alerts().darkness().enabled()).isFalse();
    }

    @Test
    void ownRulesLoadWithTheirDefaults() throws IOException {
        AlertsConfig c = load("alerts:\n  rules:\n    coop-hot:\n      kind: threshold\n      metric: temperature\n"
                + "      above: 30\n      clear: 28\n      forMinutes: 10\n      severity: critical\n"
                + "    thi-rising:\n      kind: rate\n      metric: thi\n      change: 5\n      withinMinutes: 30\n").alerts();
        assertThat(c.rules()).containsOnlyKeys("coop-hot", "thi-rising");
        assertThat(c.rules().get("coop-hot").clear()).isEqualTo(28);
        assertThat(c.rules().get("thi-rising").severity()).isEqualTo("warning");
    }

    @Test
    void aMotionRuleLoadsWithItsCameraAndHours() throws IOException {
        AlertRuleConfig r = load("alerts:\n  rules:\n    night-motion:\n      kind: motion\n      component: coop\n"
                + "      hours: \"22:00-05:00\"\n      severity: critical\n").alerts().rules().get("night-motion");
        assertThat(r.component()).isEqualTo("coop");
        assertThat(r.hours()).isEqualTo("22:00-05:00");
    }

    @Test
    void aBadRuleIsRefusedWithItsKeyAndTheFix() {
        assertThatThrownBy(() -> load("alerts:\n  rules:\n    coop-hot:\n      kind: treshold\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("alerts.rules.coop-hot.kind").hasMessageContaining("threshold, rate, missing");
        assertThatThrownBy(() -> load("alerts:\n  rules:\n    coop-hot:\n      kind: threshold\n      metric: temperature\n"))
                .hasMessageContaining("alerts.rules.coop-hot.above").hasMessageContaining("exactly one of above: or below:");
        assertThatThrownBy(() -> load("alerts:\n  rules:\n    coop-hot:\n      kind: threshold\n      metric: temperature\n      above: 30\n      clear: 31\n"))
                .hasMessageContaining("alerts.rules.coop-hot.clear").hasMessageContaining("at or below above: (30.0)");
        assertThatThrownBy(() -> load("alerts:\n  rules:\n    Coop Hot:\n      kind: disk\n      above: 90\n"))
                .hasMessageContaining("alerts.rules.Coop Hot").hasMessageContaining("lower-case letters");
        assertThatThrownBy(() -> load("alerts:\n  rules:\n    heat-stress:\n      kind: disk\n      above: 90\n"))
                .hasMessageContaining("retune those in their own sections");
        assertThatThrownBy(() -> load("alerts:\n  rules:\n    r1:\n      kind: rate\n      metric: thi\n      change: 5\n"))
                .hasMessageContaining("alerts.rules.r1.withinMinutes");
        assertThatThrownBy(() -> load("alerts:\n  rules:\n    r1:\n      kind: threshold\n      metric: t\n      above: 1\n      forMinuts: 3\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("forMinuts");
        assertThatThrownBy(() -> load("alerts:\n  quietHours: 22-7\n"))
                .hasMessageContaining("alerts.quietHours").hasMessageContaining("22:00-07:00");
        assertThatThrownBy(() -> load("alerts:\n  heatStress:\n    dangerThi: 60\n"))
                .hasMessageContaining("alerts.heatStress.dangerThi");
        assertThatThrownBy(() -> load("alerts:\n  email:\n    host: smtp.example.org\n    from: a@b.c\n"))
                .hasMessageContaining("alerts.email.to");
        assertThatThrownBy(() -> load("alerts:\n  webhook:\n    url: ftp://x\n"))
                .hasMessageContaining("alerts.webhook.url");
    }
}

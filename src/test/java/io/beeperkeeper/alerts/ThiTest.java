package io.beeperkeeper.alerts;

import io.beeperkeeper.metric.MetricSample;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The THI formula against the published figures, and THI derived from each node's readings. */
class ThiTest {
    private static final Instant T = Instant.parse("2026-07-01T14:00:00Z");

    @Test
    void reproducesOmafrasEmergencyAndHyLinesBands() {
        assertThat(Thi.of(28, 90)).isCloseTo(81.0, within(0.05)); // OMAFRA: layers, 28 °C, 90 % = THI 81, emergency
        assertThat(Thi.of(21, 50)).isLessThan(70);                  // a comfortable coop
        assertThat(Thi.of(24, 70)).isBetween(70.0, 75.0);           // Hy-Line chart row 24 °C: ~71-72 at 70 %
        assertThat(Thi.of(32, 60)).isGreaterThan(75);               // danger
    }

    @Test
    void derivedPerNodeFromFreshTemperatureAndHumidity() {
        List<MetricSample> out = new ArrayList<>();
        Thi thi = new Thi(out::add);
        thi.onSample(new MetricSample("coop", "temperature", 28, "°C", T, null));
        assertThat(out).isEmpty();
        thi.onSample(new MetricSample("barn", "humidity", 90, "%", T, null)); // another node's humidity
        assertThat(out).isEmpty();
        thi.onSample(new MetricSample("coop", "humidity", 90, "%", T.plusSeconds(1), null));
        assertThat(out).singleElement().satisfies(s -> {
            assertThat(s.metric()).isEqualTo("thi");
            assertThat(s.node()).isEqualTo("coop");
            assertThat(s.value()).isEqualTo(81.0);
            assertThat(s.time()).isEqualTo(T.plusSeconds(1));
        });
        thi.onSample(new MetricSample("coop", "temperature", 30, "°C", T.plus(Duration.ofMinutes(10)), null));
        assertThat(out).hasSize(1); // the humidity is 10 minutes old: no THI from it
        assertThat(out.get(0).simulated()).isFalse();
        thi.onSample(new MetricSample("sim", "temperature", 28, "°C", T, null, true));
        thi.onSample(new MetricSample("sim", "humidity", 90, "%", T, null));
        assertThat(out.get(1).simulated()).isTrue(); // from a simulated temperature: simulated
    }
}

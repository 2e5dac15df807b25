package io.beeperkeeper.alerts;

import io.beeperkeeper.ManualClock;
import io.beeperkeeper.config.AlertRuleConfig;
import io.beeperkeeper.config.AlertsConfig;
import io.beeperkeeper.config.ConfigException;
import io.beeperkeeper.metric.MetricSample;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** "Motion in the coop between 22:00 and 05:00": the rule kind, its window across midnight and its camera. */
class MotionRuleTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private final ManualClock clock = new ManualClock(Instant.parse("2026-06-01T19:30:00Z")); // 21:30 in Berlin
    private final List<AlertEvent> events = new ArrayList<>();

    private static AlertRuleConfig rule(String camera, String hours) {
        return new AlertRuleConfig("motion", "Motion in the coop at night", "critical", true, null, null, null, null,
                null, null, null, null, null, camera, hours);
    }

    private AlertEngine engine(AlertRuleConfig r) {
        Rule rule = new Rule("night-motion", r.title(), Severity.CRITICAL, Duration.ZERO,
                new MotionCondition(r.component(), r.hours().isEmpty() ? null : AlertsConfig.hours(r.hours()), BERLIN), "", "test");
        AlertEngine e = new AlertEngine(List.of(rule), clock, AlertEngine.Policy.of(Duration.ZERO), AlertStates.NONE, events::add);
        e.restore();
        return e;
    }

    private MetricSample motion(String camera, boolean on) {
        return new MetricSample("hub", MotionCondition.METRIC, on ? 1 : 0, "", clock.instant(), camera);
    }

    private String state(AlertEngine e) {
        return e.view("night-motion").orElseThrow().state();
    }

    @Test
    void firesOnlyWithinTheHoursAcrossMidnightAndClearsWhenTheMotionEnds() {
        AlertEngine e = engine(rule("coop", "22:00-05:00").validated("night-motion"));
        e.onSample(motion("coop", true), false);
        assertThat(state(e)).isEqualTo("ok"); // 21:30: before the window
        e.onSample(motion("coop", false), false);

        clock.advance(Duration.ofHours(3)); // 00:30
        e.onSample(motion("coop", true), false);
        assertThat(state(e)).isEqualTo("firing");
        assertThat(e.view("night-motion").orElseThrow().detail()).contains("motion on coop");
        e.onSample(motion("coop", false), false);
        assertThat(state(e)).isIn("resolved", "ok");

        clock.advance(Duration.ofHours(4)); // 04:30
        e.onSample(motion("coop", true), false);
        assertThat(state(e)).isEqualTo("firing");
        clock.advance(Duration.ofHours(1)); // 05:30: the event goes on past the window's end
        e.tick();
        assertThat(state(e)).isIn("resolved", "ok");
    }

    @Test
    void anotherCamerasMotionDoesNotCountButAnEmptyCameraMeansAny() {
        AlertEngine coopOnly = engine(rule("coop", "").validated("night-motion"));
        coopOnly.onSample(motion("run", true), false);
        assertThat(state(coopOnly)).isEqualTo("ok");
        coopOnly.onSample(motion("coop", true), false);
        assertThat(state(coopOnly)).isEqualTo("firing");

        AlertEngine any = engine(rule("", "").validated("night-motion"));
        any.onSample(motion("run", true), false);
        assertThat(state(any)).isEqualTo("firing");
    }

    @Test
    void aBadSpanOrCameraNameIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> rule("coop", "22-5").validated("night-motion"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("alerts.rules.night-motion.hours").hasMessageContaining("22:00-05:00");
        assertThatThrownBy(() -> rule("coop house", "").validated("night-motion"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("alerts.rules.night-motion.component");
    }
}

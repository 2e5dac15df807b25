package io.beeperkeeper.alerts;

import io.beeperkeeper.ManualClock;
import io.beeperkeeper.feature.Json;
import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.metric.MetricSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The rule engine with a clock the test moves: states, durations, hysteresis, reminders, quiet hours, restarts. */
class AlertEngineTest {
    private static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(T0);
    private final List<AlertEvent> events = new ArrayList<>();

    private MetricSample sample(String metric, double v) {
        return new MetricSample("coop", metric, v, "", clock.instant(), null);
    }

    private Rule hot(Duration forDuration) {
        return new Rule("coop-hot", "Coop hot", Severity.WARNING, forDuration,
                ThresholdCondition.simple("temperature", "", true, 30, 28, " °C"), " °C", "test");
    }

    private AlertEngine engine(List<Rule> rules, AlertEngine.Policy policy, AlertStates states) {
        AlertEngine e = new AlertEngine(rules, clock, policy, states, events::add);
        e.restore();
        return e;
    }

    private List<String> pushed() {
        return events.stream().filter(AlertEvent::push).map(e -> e.type().label() + ":" + e.alert().id()).toList();
    }

    private String state(AlertEngine e, String id) {
        return e.view(id).orElseThrow().state();
    }

    @Test
    void thresholdGoesPendingThenFiresAfterItsDurationAndClearsOnlyBelowTheClearLevel() {
        AlertEngine e = engine(List.of(hot(Duration.ofMinutes(10))), AlertEngine.Policy.of(Duration.ZERO), AlertStates.NONE);
        e.onSample(sample("temperature", 29.9), false);
        assertThat(state(e, "coop-hot")).isEqualTo("ok");
        e.onSample(sample("temperature", 31), false);
        assertThat(state(e, "coop-hot")).isEqualTo("pending");
        clock.advance(Duration.ofMinutes(9));
        e.tick();
        assertThat(state(e, "coop-hot")).isEqualTo("pending");
        assertThat(pushed()).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        e.tick();
        assertThat(state(e, "coop-hot")).isEqualTo("firing");
        assertThat(e.view("coop-hot").orElseThrow().since()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
        assertThat(pushed()).containsExactly("firing:coop-hot");

        e.onSample(sample("temperature", 29), false); // below the level, above the clear level: still firing
        assertThat(state(e, "coop-hot")).isEqualTo("firing");
        e.onSample(sample("temperature", 27.9), false);
        assertThat(state(e, "coop-hot")).isEqualTo("resolved");
        assertThat(pushed()).containsExactly("firing:coop-hot", "resolved:coop-hot");
    }

    @Test
    void pendingThatClearsBeforeItsDurationNeverNotifies() {
        AlertEngine e = engine(List.of(hot(Duration.ofMinutes(10))), AlertEngine.Policy.of(Duration.ZERO), AlertStates.NONE);
        e.onSample(sample("temperature", 31), false);
        clock.advance(Duration.ofMinutes(5));
        e.onSample(sample("temperature", 27), false);
        assertThat(state(e, "coop-hot")).isEqualTo("ok");
        clock.advance(Duration.ofMinutes(10));
        e.tick();
        assertThat(pushed()).isEmpty();
        assertThat(events).extracting(ev -> ev.type().label()).containsExactly("pending", "cancelled");
    }

    @Test
    void deDuplicatedThenRemindedUntilAcknowledged() {
        AlertEngine e = engine(List.of(hot(Duration.ZERO)), AlertEngine.Policy.of(Duration.ofMinutes(60)), AlertStates.NONE);
        e.onSample(sample("temperature", 35), false);
        for (int i = 0; i < 59; i++) {
            clock.advance(Duration.ofMinutes(1));
            e.onSample(sample("temperature", 35), false);
        }
        assertThat(pushed()).containsExactly("firing:coop-hot");
        clock.advance(Duration.ofMinutes(1));
        e.tick();
        assertThat(pushed()).containsExactly("firing:coop-hot", "reminder:coop-hot");

        assertThat(e.acknowledge("coop-hot", "anna")).isEqualTo(AlertEngine.AckResult.ACKNOWLEDGED);
        assertThat(e.acknowledge("coop-hot", "anna")).isEqualTo(AlertEngine.AckResult.ALREADY);
        assertThat(e.view("coop-hot").orElseThrow().acknowledgedBy()).isEqualTo("anna");
        clock.advance(Duration.ofHours(5));
        e.tick();
        assertThat(pushed()).hasSize(2);

        // clears, fires again: the acknowledgement is gone and the keeper is told again
        e.onSample(sample("temperature", 20), false);
        e.onSample(sample("temperature", 35), false);
        assertThat(e.view("coop-hot").orElseThrow().acknowledged()).isFalse();
        assertThat(pushed()).containsExactly("firing:coop-hot", "reminder:coop-hot", "resolved:coop-hot", "firing:coop-hot");
        assertThat(e.acknowledge("nope", "x")).isEqualTo(AlertEngine.AckResult.UNKNOWN_RULE);
    }

    @Test
    void quietHoursHoldBackWarningsButNeverCriticalAlerts() {
        clock.advance(Duration.ofHours(13)); // 23:00 UTC
        Rule warn = hot(Duration.ZERO);
        Rule crit = new Rule("coop-very-hot", "Coop very hot", Severity.CRITICAL, Duration.ZERO,
                ThresholdCondition.simple("temperature", "", true, 34, 33, " °C"), " °C", "test");
        AlertEngine.Policy quiet = new AlertEngine.Policy(Duration.ZERO, LocalTime.of(22, 0), LocalTime.of(7, 0), ZoneOffset.UTC);
        AlertEngine e = engine(List.of(warn, crit), quiet, AlertStates.NONE);
        e.onSample(sample("temperature", 35), false);
        assertThat(state(e, "coop-hot")).isEqualTo("firing");
        assertThat(pushed()).containsExactly("firing:coop-very-hot");
        assertThat(events).extracting(ev -> ev.type().label() + ":" + ev.alert().id())
                .contains("firing:coop-hot"); // on the page at once, not pushed

        clock.advance(Duration.ofHours(7)); // 06:00: still quiet
        e.tick();
        assertThat(pushed()).containsExactly("firing:coop-very-hot");
        clock.advance(Duration.ofHours(1)); // 07:00: the held-back warning goes out
        e.tick();
        assertThat(pushed()).containsExactly("firing:coop-very-hot", "firing:coop-hot");
    }

    @Test
    void escalationFromAlertToDangerIsAnnouncedAgain() {
        Rule heat = new Rule("heat-stress", "Heat stress", Severity.WARNING, Duration.ZERO,
                new ThresholdCondition("thi", "", true, List.of(
                        new ThresholdCondition.Level(70, true, Severity.WARNING, "alert from"),
                        new ThresholdCondition.Level(75, false, Severity.CRITICAL, "danger above"),
                        new ThresholdCondition.Level(81, true, Severity.CRITICAL, "emergency from")), 69, ""), "", "test");
        AlertEngine e = engine(List.of(heat), AlertEngine.Policy.of(Duration.ZERO), AlertStates.NONE);
        e.onSample(sample("thi", 71), false);
        assertThat(e.view("heat-stress").orElseThrow().severity()).isEqualTo("warning");
        e.onSample(sample("thi", 77), false);
        assertThat(e.view("heat-stress").orElseThrow().severity()).isEqualTo("critical");
        assertThat(e.view("heat-stress").orElseThrow().detail()).contains("danger above 75");
        e.onSample(sample("thi", 82), false);
        assertThat(e.view("heat-stress").orElseThrow().detail()).contains("emergency from 81");
        assertThat(pushed()).containsExactly("firing:heat-stress", "escalated:heat-stress");
        e.onSample(sample("thi", 69.5), false); // under 70 but not below the clear level 69
        assertThat(state(e, "heat-stress")).isEqualTo("firing");
        e.onSample(sample("thi", 68), false);
        assertThat(state(e, "heat-stress")).isEqualTo("resolved");
    }

    @Test
    void rateOfChange() {
        Rule rising = new Rule("thi-rising", "THI rising", Severity.WARNING, Duration.ZERO,
                new RateCondition("thi", "", 5, Duration.ofMinutes(30), ""), "", "test");
        AlertEngine e = engine(List.of(rising), AlertEngine.Policy.of(Duration.ZERO), AlertStates.NONE);
        e.onSample(sample("thi", 65), false);
        clock.advance(Duration.ofMinutes(20));
        e.onSample(sample("thi", 69), false);
        assertThat(state(e, "thi-rising")).isEqualTo("ok");
        clock.advance(Duration.ofMinutes(5));
        e.onSample(sample("thi", 70.5), false);
        assertThat(state(e, "thi-rising")).isEqualTo("firing");
        clock.advance(Duration.ofMinutes(31)); // the low point left the window
        e.onSample(sample("thi", 70.6), false);
        assertThat(state(e, "thi-rising")).isEqualTo("firing"); // one point in the window: unknown, no change
        clock.advance(Duration.ofMinutes(1));
        e.onSample(sample("thi", 70.7), false);
        assertThat(state(e, "thi-rising")).isEqualTo("resolved");
    }

    @Test
    void missingDataFiresWhenASensorStopsAndResolvesWhenItReturns() {
        Rule offline = new Rule("sensor-offline", "Sensor offline", Severity.WARNING, Duration.ZERO,
                new MissingDataCondition("temperature", "", Duration.ofMinutes(5)), "min", "test");
        AlertEngine e = engine(List.of(offline), AlertEngine.Policy.of(Duration.ZERO), AlertStates.NONE);
        e.tick();
        e.onSample(sample("temperature", 20), false);
        clock.advance(Duration.ofMinutes(5));
        e.tick();
        assertThat(state(e, "sensor-offline")).isEqualTo("ok");
        clock.advance(Duration.ofSeconds(1));
        e.tick();
        assertThat(state(e, "sensor-offline")).isEqualTo("firing");
        assertThat(e.view("sensor-offline").orElseThrow().detail()).contains("no temperature reading for 5");
        e.onSample(sample("temperature", 20), false);
        assertThat(state(e, "sensor-offline")).isEqualTo("resolved");
    }

    @Test
    void cameraOfflineForNMinutesAndStoreDegradedFromHealth() {
        Map<String, ComponentHealth> health = new LinkedHashMap<>();
        health.put("camera.csi", ComponentHealth.up("streaming"));
        health.put("store", ComponentHealth.up("ok"));
        Rule cam = new Rule("camera-offline", "Camera offline", Severity.WARNING, Duration.ofMinutes(5),
                new HealthCondition(() -> health, n -> n.startsWith("camera."), Set.of(ComponentHealth.Status.DOWN), "camera"), "", "");
        Rule store = new Rule("store", "Store degraded", Severity.WARNING, Duration.ofMinutes(5),
                new HealthCondition(() -> health, "store"::equals,
                        Set.of(ComponentHealth.Status.DEGRADED, ComponentHealth.Status.DOWN), "store"), "", "");
        Rule node = new Rule("barn-node", "Barn node offline", Severity.WARNING, Duration.ZERO,
                new HealthCondition(() -> health, "node.barn"::equals, Set.of(ComponentHealth.Status.DOWN), "node"), "", "");
        AlertEngine e = engine(List.of(cam, store, node), AlertEngine.Policy.of(Duration.ZERO), AlertStates.NONE);
        e.tick();
        health.put("camera.csi", ComponentHealth.down("ffmpeg exited"));
        health.put("store", ComponentHealth.degraded("disk full"));
        e.tick();
        clock.advance(Duration.ofMinutes(4));
        e.tick();
        assertThat(state(e, "camera-offline")).isEqualTo("pending");
        clock.advance(Duration.ofMinutes(1));
        e.tick();
        assertThat(state(e, "camera-offline")).isEqualTo("firing");
        assertThat(e.view("camera-offline").orElseThrow().detail()).contains("camera.csi down (ffmpeg exited)");
        assertThat(state(e, "store")).isEqualTo("firing");
        assertThat(state(e, "barn-node")).isEqualTo("ok"); // no such node registered: unknown, never fires
        health.put("camera.csi", ComponentHealth.up("streaming"));
        e.tick();
        assertThat(state(e, "camera-offline")).isEqualTo("resolved");
    }

    @Test
    void throttlingAndDisk() {
        Rule thr = new Rule("throttling", "Throttled", Severity.WARNING, Duration.ZERO, new ThrottleCondition(), "", "");
        Rule disk = new Rule("disk", "Disk", Severity.WARNING, Duration.ZERO,
                ThresholdCondition.simple("disk_percent", "", true, 90, 88, " %"), " %", "");
        AlertEngine e = engine(List.of(thr, disk), AlertEngine.Policy.of(Duration.ZERO), AlertStates.NONE);
        e.onSample(sample("cpu_throttled", 0x80000), false); // soft limit happened earlier, not now
        assertThat(state(e, "throttling")).isEqualTo("ok");
        e.onSample(sample("cpu_throttled", 0x80008), false);
        assertThat(state(e, "throttling")).isEqualTo("firing");
        assertThat(e.view("throttling").orElseThrow().detail()).contains("soft temperature limit active");
        e.onSample(sample("disk_percent", 91), false);
        assertThat(state(e, "disk")).isEqualTo("firing");
    }

    @Test
    void aFiringRuleIsNotAnnouncedAgainAfterARestart() throws Exception {
        StateFile file = new StateFile(dir.resolve(StateFile.NAME), Json.newMapper());
        AlertEngine first = engine(List.of(hot(Duration.ZERO)), AlertEngine.Policy.of(Duration.ofMinutes(60)), file);
        first.onSample(sample("temperature", 35), false);
        assertThat(pushed()).containsExactly("firing:coop-hot");
        assertThat(Files.readString(file.file())).contains("FIRING");

        clock.advance(Duration.ofMinutes(10));
        events.clear();
        AlertEngine second = engine(List.of(hot(Duration.ZERO)), AlertEngine.Policy.of(Duration.ofMinutes(60)), file);
        assertThat(state(second, "coop-hot")).isEqualTo("firing");
        assertThat(second.view("coop-hot").orElseThrow().since()).isEqualTo(T0);
        second.onSample(sample("temperature", 35), false);
        second.tick();
        assertThat(pushed()).isEmpty();
        clock.advance(Duration.ofMinutes(50)); // the reminder keeps its schedule across the restart
        second.tick();
        assertThat(pushed()).containsExactly("reminder:coop-hot");
    }

    @Test
    void anUnreadableStateFileIsSetAsideAndRulesStartFromOk() throws Exception {
        Path f = dir.resolve(StateFile.NAME);
        Files.writeString(f, "{not json");
        AlertEngine e = engine(List.of(hot(Duration.ZERO)), AlertEngine.Policy.of(Duration.ZERO), new StateFile(f, Json.newMapper()));
        assertThat(state(e, "coop-hot")).isEqualTo("ok");
        assertThat(dir.resolve(StateFile.NAME + ".bad")).exists();
    }

    @Test
    void simulatedFiguresAreMarked() {
        AlertEngine e = engine(List.of(hot(Duration.ZERO)), AlertEngine.Policy.of(Duration.ZERO), AlertStates.NONE);
        e.onSample(sample("temperature", 35), true);
        assertThat(e.view("coop-hot").orElseThrow().simulated()).isTrue();
        assertThat(events.get(0).alert().simulated()).isTrue();
    }
}

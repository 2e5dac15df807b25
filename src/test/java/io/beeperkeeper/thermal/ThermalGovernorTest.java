package io.beeperkeeper.thermal;

import io.beeperkeeper.ManualClock;
import io.beeperkeeper.config.ConfigException;
import io.beeperkeeper.config.ConfigLoader;
import io.beeperkeeper.config.ThermalConfig;
import io.beeperkeeper.media.camera.VideoEncoding;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The thermal state machine on a manual clock: thresholds, hysteresis, dwell and the firmware's throttle flags. */
class ThermalGovernorTest {
    /** Steps down at 67 °C, up at 63 °C, 60 s dwell. */
    private static final ThermalConfig CONFIG = ThermalConfig.defaults();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-06-01T12:00:00Z"));
    private final ThermalGovernor governor = new ThermalGovernor(CONFIG, clock);

    @Test
    void coolCpuStaysAtFull() {
        for (int i = 0; i < 100; i++) {
            assertThat(governor.observe(Heat.of(55))).isEmpty();
            clock.advance(Duration.ofSeconds(5));
        }
        assertThat(governor.level()).isEqualTo(ThermalLevel.FULL);
    }

    @Test
    void stepsDownNearTheSoftLimitFrameRateFirstThenSizeWithADwellBetween() {
        assertThat(governor.observe(Heat.of(66.9))).isEmpty();
        Step first = governor.observe(Heat.of(67.0)).orElseThrow();
        assertThat(first.from()).isEqualTo(ThermalLevel.FULL);
        assertThat(first.to()).isEqualTo(ThermalLevel.REDUCED_FPS);
        assertThat(first.direction()).isEqualTo(Step.Direction.DOWN);
        // still hot, but within the dwell: no second step yet
        clock.advance(Duration.ofSeconds(59));
        assertThat(governor.observe(Heat.of(69))).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(governor.observe(Heat.of(69)).map(Step::to)).contains(ThermalLevel.REDUCED_FPS_AND_SIZE);
        // the lowest level: hotter still changes nothing
        clock.advance(Duration.ofMinutes(5));
        assertThat(governor.observe(Heat.of(75))).isEmpty();
        assertThat(governor.level()).isEqualTo(ThermalLevel.REDUCED_FPS_AND_SIZE);
    }

    @Test
    void holdsBetweenTheThresholdsAndStepsUpOnlyAfterADwellOfCool() {
        governor.observe(Heat.of(68));
        clock.advance(Duration.ofMinutes(10));
        // 65 °C: below the step-down threshold, above the step-up one: the level holds however long
        for (int i = 0; i < 60; i++) {
            assertThat(governor.observe(Heat.of(65))).isEmpty();
            clock.advance(Duration.ofSeconds(10));
        }
        assertThat(governor.level()).isEqualTo(ThermalLevel.REDUCED_FPS);
        // cool from now on: up only once it has been cool for the whole dwell
        assertThat(governor.observe(Heat.of(63))).isEmpty();
        clock.advance(Duration.ofSeconds(30));
        assertThat(governor.observe(Heat.of(60))).isEmpty();
        // a warm moment restarts the cool period
        clock.advance(Duration.ofSeconds(29));
        assertThat(governor.observe(Heat.of(64))).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(governor.observe(Heat.of(60))).isEmpty();
        clock.advance(Duration.ofSeconds(59));
        assertThat(governor.observe(Heat.of(60))).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        Step up = governor.observe(Heat.of(60)).orElseThrow();
        assertThat(up.direction()).isEqualTo(Step.Direction.UP);
        assertThat(up.to()).isEqualTo(ThermalLevel.FULL);
        clock.advance(Duration.ofHours(1));
        assertThat(governor.observe(Heat.of(40))).isEmpty();
    }

    @Test
    void stepsUpOneLevelPerDwell() {
        governor.observe(Heat.of(70));
        clock.advance(Duration.ofSeconds(60));
        governor.observe(Heat.of(70));
        assertThat(governor.level()).isEqualTo(ThermalLevel.REDUCED_FPS_AND_SIZE);
        clock.advance(Duration.ofSeconds(1));
        assertThat(governor.observe(Heat.of(50))).isEmpty(); // cool starts now
        clock.advance(Duration.ofSeconds(60));
        assertThat(governor.observe(Heat.of(50)).map(Step::to)).contains(ThermalLevel.REDUCED_FPS);
        clock.advance(Duration.ofSeconds(59));
        assertThat(governor.observe(Heat.of(50))).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(governor.observe(Heat.of(50)).map(Step::to)).contains(ThermalLevel.FULL);
    }

    @Test
    void theFirmwaresSoftLimitOrThrottlingStepsDownWhateverTheTemperature() {
        // 0x80008: soft temperature limit active, and has occurred since boot
        assertThat(governor.observe(Heat.of(60, 0x80008)).map(Step::to)).contains(ThermalLevel.REDUCED_FPS);
        clock.advance(Duration.ofSeconds(60));
        assertThat(governor.observe(Heat.of(60, 0x4)).map(Step::to)).as("throttling active")
                .contains(ThermalLevel.REDUCED_FPS_AND_SIZE);
        // the flag keeps it from stepping up though the CPU reads cool
        clock.advance(Duration.ofMinutes(10));
        assertThat(governor.observe(Heat.of(50, 0x8))).isEmpty();
        clock.advance(Duration.ofMinutes(10));
        assertThat(governor.observe(Heat.of(50, 0x8))).isEmpty();
        // only the "has occurred" bits left: cool again
        assertThat(governor.observe(Heat.of(50, 0x80000))).isEmpty();
        clock.advance(Duration.ofSeconds(60));
        assertThat(governor.observe(Heat.of(50, 0x80000)).map(Step::direction)).contains(Step.Direction.UP);
    }

    @Test
    void underVoltageAloneAndPastThrottlingDoNotStepDown() {
        assertThat(Heat.of(50, 0x1).throttled()).as("under-voltage now").isFalse();
        assertThat(Heat.of(50, 0xF0000).throttled()).as("everything has occurred since boot, nothing now").isFalse();
        assertThat(Heat.of(50, 0x2).throttled()).as("arm frequency capped now").isTrue();
        assertThat(governor.observe(Heat.of(50, 0x50005 & ~0x4))).isEmpty();
        assertThat(governor.observe(new Heat(50, Optional.empty()))).isEmpty();
        assertThat(governor.level()).isEqualTo(ThermalLevel.FULL);
    }

    @Test
    void eachLevelHalvesFrameRateThenSize() {
        VideoEncoding usb = new VideoEncoding(10, 640, 480);
        assertThat(ThermalLevel.FULL.apply(usb)).isEqualTo(usb);
        assertThat(ThermalLevel.REDUCED_FPS.apply(usb)).isEqualTo(new VideoEncoding(5, 640, 480));
        assertThat(ThermalLevel.REDUCED_FPS_AND_SIZE.apply(usb)).isEqualTo(new VideoEncoding(5, 320, 240));
        // odd halves are kept even (H.264 4:2:0), and nothing goes below 1 fps or 16 pixels
        assertThat(ThermalLevel.REDUCED_FPS_AND_SIZE.apply(new VideoEncoding(1, 38, 30))).isEqualTo(new VideoEncoding(1, 18, 16));
        assertThat(ThermalLevel.REDUCED_FPS_AND_SIZE.apply(new VideoEncoding(15, 800, 600))).isEqualTo(new VideoEncoding(7, 400, 300));
    }

    @Test
    void badSettingsAreRefusedNamingTheKey() {
        ConfigLoader loader = new ConfigLoader();
        assertThatThrownBy(() -> loader.load(null, Map.of(), Map.of("thermal.softLimitC", "120")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("thermal.softLimitC").hasMessageContaining("40-90");
        assertThatThrownBy(() -> loader.load(null, Map.of(), Map.of("thermal.hysteresisC", "0.5")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("thermal.hysteresisC")
                .hasMessageContaining("more than thermal.marginC");
        assertThatThrownBy(() -> loader.load(null, Map.of(), Map.of("thermal.dwellSeconds", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("thermal.dwellSeconds");
        assertThatThrownBy(() -> loader.load(null, Map.of(), Map.of("thermal.thermalZone", " ")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("thermal.thermalZone");
        assertThatThrownBy(() -> loader.load(null, Map.of(), Map.of("thermal.marginC", "hot")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("thermal.marginC");
        ThermalConfig ok = loader.load(null, Map.of(), Map.of("thermal.softLimitC", "70", "thermal.dwellSeconds", "30")).thermal();
        assertThat(ok.stepDownAtC()).isEqualTo(69);
        assertThat(ok.stepUpAtC()).isEqualTo(65);
    }
}

package io.beeperkeeper.sensor.bme680;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

/**
 * Register-map vectors: the driver's read path over an in-memory map against expectations computed
 * independently from the formulas (tools/bme68x_vectors.py): float path within 1e-5 relative of a
 * double evaluation, integer path exactly.
 */
class Bme68xCompensationTest {

    static List<Bme68xVectors.Vector> vectors() {
        return Bme68xVectors.VECTORS;
    }

    private static Bme68xMeasurement decode(Bme68xVectors.Vector v, boolean integer) throws Exception {
        Bme68xDriver driver = new Bme68xDriver(new MemoryRegisterBus(v.registers()),
                Bme68xSettings.defaults().withIntegerPath(integer), us -> { });
        return driver.readField();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void floatPathMatchesDoubleEvaluationTo1e5Relative(Bme68xVectors.Vector v) throws Exception {
        Bme68xMeasurement m = decode(v, false);
        assertThat(m.integerPath()).isFalse();
        assertThat(m.temperatureC()).isCloseTo(v.doubles()[0], within(Math.abs(v.doubles()[0]) * 1e-5));
        assertThat(m.pressurePa()).isCloseTo(v.doubles()[1], within(v.doubles()[1] * 1e-5));
        assertThat(m.humidityRh()).isCloseTo(v.doubles()[2], within(v.doubles()[2] * 1e-5));
        assertThat(m.gasOhm()).isCloseTo(v.doubles()[3], within(v.doubles()[3] * 1e-5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void integerPathMatchesStepByStepEvaluationExactly(Bme68xVectors.Vector v) throws Exception {
        Bme68xMeasurement m = decode(v, true);
        Bme68xMeasurement.IntegerValues n = m.integerValues();
        assertThat((long) n.temperatureX100()).isEqualTo(v.integers()[0]);
        assertThat(n.pressurePa()).isEqualTo(v.integers()[1]);
        assertThat(n.humidityX1000()).isEqualTo(v.integers()[2]);
        assertThat(n.gasOhm()).isEqualTo(v.integers()[3]);
        assertThat(m.temperatureC()).isEqualTo(v.integers()[0] / 100.0);
    }

    @Test
    void bothPressureBranchesAreCovered() {
        assertThat(vectors()).anyMatch(Bme68xVectors.Vector::overflowBranch).anyMatch(v -> !v.overflowBranch());
    }

    @Test
    void pressureOverflowBranchDividesBeforeDoubling() throws Exception {
        // Near 1 atm the scaled numerator is >= 0x40000000: (x / var1) << 1 keeps int32 from overflowing;
        // (x << 1) / var1 would have wrapped negative and given nonsense.
        Bme68xVectors.Vector v = Bme68xVectors.named("bme680_room");
        Bme68xCalibration cal = Bme68xCalibration.read(new MemoryRegisterBus(v.registers()));
        Bme68xRawData raw = Bme68xRawData.parse(new MemoryRegisterBus(v.registers()).read(0x1D, 17), 0);
        int tFine = Bme68xCompensation.tFineInt(raw.adcTemperature(), cal);
        assertThat(Bme68xCompensation.pressureInt(raw.adcPressure(), tFine, cal)).isEqualTo(96425L);
        assertThat((double) Bme68xCompensation.pressureFloat(raw.adcPressure(), Bme68xCompensation.tFineFloat(raw.adcTemperature(), cal), cal))
                .isCloseTo(96428.9, withinPercentage(0.001));
    }

    @Test
    void calibrationIsParsedFromTheThreeRegisterBlocks() throws Exception {
        Bme68xCalibration c = Bme68xCalibration.read(new MemoryRegisterBus(Bme68xVectors.named("bme680_room").registers()));
        assertThat(List.of(c.parT1(), c.parT2(), c.parT3())).containsExactly(25944, 26435, 3);
        assertThat(List.of(c.parP1(), c.parP2(), c.parP3(), c.parP4(), c.parP5(), c.parP6(), c.parP7(), c.parP8(), c.parP9(), c.parP10()))
                .containsExactly(36212, -10355, 88, 7092, -125, 30, 69, -3141, -1793, 30);
        assertThat(List.of(c.parH1(), c.parH2(), c.parH3(), c.parH4(), c.parH5(), c.parH6(), c.parH7()))
                .containsExactly(779, 1012, 0, 45, 20, 120, -100);
        assertThat(List.of(c.parGh1(), c.parGh2(), c.parGh3())).containsExactly(-30, -5969, 18);
        // res_heat_range sits in bits 5:4 of 0x02, range_sw_err in bits 7:4 of 0x04 (signed); the
        // tool puts noise in the other bits.
        assertThat(List.of(c.resHeatRange(), c.resHeatVal(), c.rangeSwErr())).containsExactly(1, 40, -1);
    }

    @Test
    void rangeSwitchingErrorIsASignedNibble() {
        byte[] coeff = new byte[42];
        coeff[41] = (byte) 0x7F;
        assertThat(Bme68xCalibration.fromCoefficients(coeff).rangeSwErr()).isEqualTo(7);
        coeff[41] = (byte) 0x80;
        assertThat(Bme68xCalibration.fromCoefficients(coeff).rangeSwErr()).isEqualTo(-8);
    }

    @Test
    void statusBitsFollowTheVariant() throws Exception {
        Bme68xMeasurement low = decode(Bme68xVectors.named("bme680_room"), false);
        assertThat(low.variantName()).isEqualTo("BME680");
        assertThat(low.gasValid()).isTrue();
        assertThat(low.heatStable()).isTrue();
        Bme68xMeasurement high = decode(Bme68xVectors.named("bme688_room"), false);
        assertThat(high.variantName()).isEqualTo("BME688");
        assertThat(high.gasValid()).isTrue();
        Bme68xMeasurement unstable = decode(Bme68xVectors.named("bme688_cold_unstable"), false);
        assertThat(unstable.gasValid()).isFalse();
        assertThat(unstable.heatStable()).isFalse();
    }

    @Test
    void heaterResistanceCodeOnBothPaths() throws Exception {
        Bme68xCalibration c = Bme68xCalibration.read(new MemoryRegisterBus(Bme68xVectors.named("bme680_room").registers()));
        for (Bme68xVectors.ResHeat r : Bme68xVectors.RES_HEAT) {
            assertThat(Bme68xCompensation.resHeatInt(r.target(), r.ambient(), c)).as("int %s", r).isEqualTo(r.expectedInt());
            assertThat(Bme68xCompensation.resHeatFloat(r.target(), r.ambient(), c)).as("float %s", r).isEqualTo(r.expectedDouble());
        }
        // Targets above 400 degC are capped.
        assertThat(Bme68xCompensation.resHeatInt(500, 25, c)).isEqualTo(Bme68xCompensation.resHeatInt(400, 25, c));
    }

    @Test
    void gasWaitCodes() {
        assertThat(Bme68xCompensation.gasWait(150)).isEqualTo(0x65); // 150/4 = 37, factor 1: 37 + 64
        assertThat(Bme68xCompensation.gasWait(63)).isEqualTo(63);
        assertThat(Bme68xCompensation.gasWait(1000)).isEqualTo(0xBE); // 1000/4/4 = 62, factor 2: 62 + 128
        assertThat(Bme68xCompensation.gasWait(4032)).isEqualTo(0xFF);
    }
}

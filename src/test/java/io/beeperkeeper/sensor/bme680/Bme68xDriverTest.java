package io.beeperkeeper.sensor.bme680;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The forced-mode register sequence against an in-memory chip that answers like a BME68x. */
class Bme68xDriverTest {

    /** Plays the chip: a forced-mode write makes the data field new and returns the mode to sleep. */
    private static MemoryRegisterBus chip(String vector, boolean answers) {
        MemoryRegisterBus bus = new MemoryRegisterBus(Bme68xVectors.named(vector).registers());
        bus.set(0x1D, 0x00); // no new data before we ask
        bus.onWrite((b, reg, value) -> {
            if (reg == 0x74 && (value & 0x03) == 0x01 && answers) {
                b.set(0x1D, 0x80);
                b.set(0x74, value & ~0x03);
            }
        });
        return bus;
    }

    @Test
    void forcedModeSequenceOnBme680() throws Exception {
        MemoryRegisterBus bus = chip("bme680_room", true);
        List<Long> waits = new ArrayList<>();
        Bme68xDriver driver = new Bme68xDriver(bus, Bme68xSettings.defaults(), waits::add);
        Bme68xMeasurement m = driver.measure();

        assertThat(m.variantName()).isEqualTo("BME680");
        assertThat(m.temperatureC()).isBetween(27.38, 27.39);
        List<MemoryRegisterBus.Write> w = bus.writes();
        assertThat(w.get(0)).isEqualTo(new MemoryRegisterBus.Write(0xE0, 0xB6)); // soft reset
        assertThat(w).contains(new MemoryRegisterBus.Write(0x72, 0x01)); // ctrl_hum: humidity 1x
        assertThat(w).contains(new MemoryRegisterBus.Write(0x74, 0x54)); // ctrl_meas: T 2x, P 16x, sleep
        assertThat(w).contains(new MemoryRegisterBus.Write(0x5A, Bme68xCompensation.resHeatFloat(320, 25, driver.calibration())));
        assertThat(w).contains(new MemoryRegisterBus.Write(0x64, 0x65)); // gas_wait_0: 150 ms
        assertThat(w).contains(new MemoryRegisterBus.Write(0x70, 0x00)); // heater on
        assertThat(w).contains(new MemoryRegisterBus.Write(0x71, 0x90)); // run_gas (low variant), nb_conv 0, odr3
        // The last write triggers the measurement; the heater was configured before it.
        assertThat(w.get(w.size() - 1)).isEqualTo(new MemoryRegisterBus.Write(0x74, 0x55));
        assertThat(indexOf(w, 0x5A)).isLessThan(w.size() - 1);
        // Waited for the TPH conversion plus the 150 ms heater before reading.
        long expected = (2 + 16 + 1) * 1963 + 477 * 9 + 1000 + 150_000;
        assertThat(waits).contains(expected);
    }

    @Test
    void bme688RunsTheHighGasRange() throws Exception {
        MemoryRegisterBus bus = chip("bme688_room", true);
        Bme68xDriver driver = new Bme68xDriver(bus, Bme68xSettings.defaults().withHeater(300, 100), us -> { });
        Bme68xMeasurement m = driver.measure();
        assertThat(m.variantName()).isEqualTo("BME688");
        assertThat(bus.writes()).contains(new MemoryRegisterBus.Write(0x71, 0xA0)); // run_gas = 2
        assertThat(bus.writes()).contains(new MemoryRegisterBus.Write(0x64, 0x59)); // 100 ms: 25 + 64
        assertThat(m.gasOhm()).isBetween(2175000.0, 2176000.0);
    }

    @Test
    void secondMeasurementOnlyTriggers() throws Exception {
        MemoryRegisterBus bus = chip("bme680_room", true);
        Bme68xDriver driver = new Bme68xDriver(bus, Bme68xSettings.defaults(), us -> { });
        driver.measure();
        int before = bus.writes().size();
        bus.set(0x1D, 0x00);
        driver.measure();
        // The ambient temperature moved from 25 to 27 degC, which may change the heater code by one;
        // otherwise only the trigger is written.
        assertThat(bus.writes().size() - before).isLessThanOrEqualTo(6);
        assertThat(bus.writes().get(bus.writes().size() - 1)).isEqualTo(new MemoryRegisterBus.Write(0x74, 0x55));
    }

    @Test
    void noNewDataIsAnErrorAfterFiveTries() throws Exception {
        MemoryRegisterBus bus = chip("bme680_room", false);
        List<Long> waits = new ArrayList<>();
        Bme68xDriver driver = new Bme68xDriver(bus, Bme68xSettings.defaults(), waits::add);
        assertThatThrownBy(driver::measure).isInstanceOf(IOException.class).hasMessageContaining("no new data");
        assertThat(waits.stream().filter(us -> us == 10_000L).count()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void wrongChipIdNamesTheFix() {
        MemoryRegisterBus bus = chip("bme680_room", true);
        bus.set(0xD0, 0x60); // a BME280
        Bme68xDriver driver = new Bme68xDriver(bus, Bme68xSettings.defaults(), us -> { });
        assertThatThrownBy(driver::init).isInstanceOf(IOException.class)
                .hasMessageContaining("0x60").hasMessageContaining("i2cdetect");
    }

    @Test
    void integerPathDriverWritesTheIntegerHeaterCode() throws Exception {
        MemoryRegisterBus bus = chip("bme680_room", true);
        Bme68xDriver driver = new Bme68xDriver(bus, Bme68xSettings.defaults().withIntegerPath(true), us -> { });
        Bme68xMeasurement m = driver.measure();
        assertThat(bus.writes()).contains(new MemoryRegisterBus.Write(0x5A, 119)); // tools/bme68x_vectors.py
        assertThat(m.integerValues().pressurePa()).isEqualTo(96425L);
    }

    private static int indexOf(List<MemoryRegisterBus.Write> writes, int register) {
        for (int i = 0; i < writes.size(); i++) {
            if (writes.get(i).register() == register) {
                return i;
            }
        }
        return -1;
    }
}

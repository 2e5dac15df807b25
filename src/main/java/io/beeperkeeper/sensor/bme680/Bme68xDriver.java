package io.beeperkeeper.sensor.bme680;

import java.io.IOException;

/**
 * BME680/BME688 driver over a {@link RegisterBus}: identifies the chip, reads its calibration and runs
 * forced-mode measurements with the gas heater, following the register sequence of Bosch's BME68x Sensor
 * API ({@code bme68x_init}, {@code bme68x_set_conf}, {@code bme68x_set_heatr_conf},
 * {@code bme68x_set_op_mode}, {@code bme68x_get_data}). {@link #readField()} compensates whatever the
 * data registers hold, which is also how {@code beeper bme680-decode} reads an i2cdump: one code path.
 * Not thread-safe: one sampler owns it.
 */
final class Bme68xDriver {
    public static final int CHIP_ID = 0x61;
    public static final int VARIANT_GAS_LOW = 0x00;
    public static final int VARIANT_GAS_HIGH = 0x01;

    static final int REG_RES_HEAT0 = 0x5A;
    static final int REG_GAS_WAIT0 = 0x64;
    static final int REG_CTRL_GAS_0 = 0x70;
    static final int REG_CTRL_GAS_1 = 0x71;
    static final int REG_CTRL_HUM = 0x72;
    static final int REG_CTRL_MEAS = 0x74;
    static final int REG_CONFIG = 0x75;
    static final int REG_CHIP_ID = 0xD0;
    static final int REG_SOFT_RESET = 0xE0;
    static final int REG_VARIANT_ID = 0xF0;
    static final int SOFT_RESET_CMD = 0xB6;
    static final int MODE_MSK = 0x03;
    static final int FORCED_MODE = 0x01;
    private static final int[] OS_TO_MEAS_CYCLES = {0, 1, 2, 4, 8, 16};
    private static final int POLL_PERIOD_US = 10_000;
    private static final int READ_TRIES = 5;

    /** Waits; the real one sleeps, tests pass one that only counts. */
    @FunctionalInterface
    public interface Delay {
        void micros(long us) throws InterruptedException;

        static Delay sleeping() {
            return us -> Thread.sleep(us / 1000, (int) (us % 1000) * 1000);
        }
    }

    private final RegisterBus bus;
    private final Bme68xSettings settings;
    private final Delay delay;
    private Bme68xCalibration calibration;
    private int variantId;
    private int ambientTempC;

    public Bme68xDriver(RegisterBus bus, Bme68xSettings settings, Delay delay) {
        this.bus = bus;
        this.settings = settings;
        this.delay = delay;
        this.ambientTempC = settings.ambientTempC();
    }

    /**
     * bme68x_init: soft reset, chip id check, variant id, calibration; then configures oversampling,
     * filter and the heater for forced mode.
     */
    public void init() throws IOException, InterruptedException {
        bus.write(REG_SOFT_RESET, SOFT_RESET_CMD);
        delay.micros(10_000);
        int chipId = bus.read(REG_CHIP_ID, 1)[0] & 0xFF;
        if (chipId != CHIP_ID) {
            throw new IOException(String.format("no BME680/BME688 here: chip id register 0xD0 reads 0x%02X, expected 0x61;"
                    + " check the I2C address (0x76 or 0x77, see i2cdetect -y 1)", chipId));
        }
        readIdentity();
        configure();
    }

    /** Reads variant id and calibration only (no writes): enough to compensate existing data registers. */
    public void readIdentity() throws IOException {
        variantId = bus.read(REG_VARIANT_ID, 1)[0] & 0xFF;
        calibration = Bme68xCalibration.read(bus);
    }

    private void configure() throws IOException, InterruptedException {
        sleepMode();
        // bme68x_set_conf: 0x71..0x75 read, changed and written back; ODR none (odr3 = 1) as in forced mode.
        byte[] conf = bus.read(REG_CTRL_GAS_1, 5);
        int ctrlGas1 = (conf[0] & 0xFF & ~0x80) | 0x80;
        int ctrlHum = (conf[1] & 0xFF & ~0x07) | settings.osHumidity();
        int ctrlMeas = (conf[3] & 0xFF & ~0xFC) | (settings.osTemperature() << 5) | (settings.osPressure() << 2);
        int config = (conf[4] & 0xFF & ~0x1C & ~0xE0) | (settings.filter() << 2);
        bus.write(REG_CTRL_GAS_1, ctrlGas1);
        bus.write(REG_CTRL_HUM, ctrlHum);
        bus.write(0x73, conf[2] & 0xFF);
        bus.write(REG_CTRL_MEAS, ctrlMeas);
        bus.write(REG_CONFIG, config);
        writeHeater();
    }

    /** bme68x_set_heatr_conf for forced mode: one heater step, res_heat_0 and gas_wait_0, nb_conv 0. */
    private void writeHeater() throws IOException, InterruptedException {
        sleepMode();
        bus.write(REG_RES_HEAT0, resHeatCode());
        bus.write(REG_GAS_WAIT0, Bme68xCompensation.gasWait(settings.heaterDurationMs()));
        byte[] gas = bus.read(REG_CTRL_GAS_0, 2);
        int ctrlGas0 = gas[0] & 0xFF & ~0x08; // heat_off = 0: heater enabled
        int runGas = variantId == VARIANT_GAS_HIGH ? 0x02 : 0x01;
        int ctrlGas1 = (gas[1] & 0xFF & ~0x0F & ~0x30) | (runGas << 4); // nb_conv 0, run_gas
        bus.write(REG_CTRL_GAS_0, ctrlGas0);
        bus.write(REG_CTRL_GAS_1, ctrlGas1);
    }

    /** The heater resistance code for the configured target, on the configured compensation path. */
    public int resHeatCode() {
        return settings.integerPath()
                ? Bme68xCompensation.resHeatInt(settings.heaterTempC(), ambientTempC, calibration)
                : Bme68xCompensation.resHeatFloat(settings.heaterTempC(), ambientTempC, calibration);
    }

    /** bme68x_set_op_mode(SLEEP): clears the mode bits until the chip reads back sleep. */
    private void sleepMode() throws IOException, InterruptedException {
        for (int i = 0; i < 50; i++) {
            int ctrlMeas = bus.read(REG_CTRL_MEAS, 1)[0] & 0xFF;
            if ((ctrlMeas & MODE_MSK) == 0) {
                return;
            }
            bus.write(REG_CTRL_MEAS, ctrlMeas & ~MODE_MSK);
            delay.micros(POLL_PERIOD_US);
        }
        throw new IOException("BME68x does not enter sleep mode (ctrl_meas 0x74 keeps its mode bits)");
    }

    /** bme68x_get_meas_dur for forced mode, in microseconds, plus the heater duration. */
    public long measurementDurationMicros() {
        long cycles = OS_TO_MEAS_CYCLES[settings.osTemperature()] + OS_TO_MEAS_CYCLES[settings.osPressure()]
                + OS_TO_MEAS_CYCLES[settings.osHumidity()];
        long us = cycles * 1963 + 477 * 4 + 477 * 5 + 1000;
        return us + settings.heaterDurationMs() * 1000L;
    }

    /**
     * One forced-mode measurement: trigger, wait for the conversion and the heater, poll new_data.
     * Updates the ambient temperature used for the next heater code.
     */
    public Bme68xMeasurement measure() throws IOException, InterruptedException {
        if (calibration == null) {
            init();
        }
        int wantedCode = resHeatCode();
        if ((bus.read(REG_RES_HEAT0, 1)[0] & 0xFF) != wantedCode) {
            writeHeater();
        }
        sleepMode();
        int ctrlMeas = bus.read(REG_CTRL_MEAS, 1)[0] & 0xFF;
        bus.write(REG_CTRL_MEAS, (ctrlMeas & ~MODE_MSK) | FORCED_MODE);
        delay.micros(measurementDurationMicros());
        for (int tries = READ_TRIES; tries > 0; tries--) {
            Bme68xRawData raw = Bme68xRawData.parse(bus.read(Bme68xRawData.REG_FIELD0, Bme68xRawData.LEN_FIELD), variantId);
            if (raw.newData()) {
                Bme68xMeasurement m = Bme68xMeasurement.compensate(raw, calibration, variantId, settings.integerPath());
                ambientTempC = (int) Math.max(-40, Math.min(85, Math.round(m.temperatureC())));
                return m;
            }
            delay.micros(POLL_PERIOD_US);
        }
        throw new IOException("BME68x reported no new data after a forced measurement (status 0x1D new_data stays 0)");
    }

    /** Compensates the current data registers as they are, new_data or not (i2cdump decoding). */
    public Bme68xMeasurement readField() throws IOException {
        if (calibration == null) {
            readIdentity();
        }
        Bme68xRawData raw = Bme68xRawData.parse(bus.read(Bme68xRawData.REG_FIELD0, Bme68xRawData.LEN_FIELD), variantId);
        return Bme68xMeasurement.compensate(raw, calibration, variantId, settings.integerPath());
    }

    public int variantId() {
        return variantId;
    }

    public Bme68xCalibration calibration() {
        return calibration;
    }
}

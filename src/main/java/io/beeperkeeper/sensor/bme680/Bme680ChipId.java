package io.beeperkeeper.sensor.bme680;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Asks an I2C address which chip sits there, by reading the BME68x chip id register (0xD0, which holds
 * {@link #BME68X} 0x61 on a BME680 or BME688) over i2c-dev: one register read, no reset and
 * no measurement, so {@code beeper check} may look while the hub runs.
 */
public final class Bme680ChipId {
    /** What the chip id register of a BME680 or BME688 holds. */
    public static final int BME68X = Bme68xDriver.CHIP_ID;

    private Bme680ChipId() {
    }

    /**
     * @param device  such as /dev/i2c-1
     * @param address 0x76 or 0x77
     * @return the chip id register's value
     * @throws IOException with the reason (bus absent, address claimed by a kernel driver, nothing answering)
     */
    public static int read(Path device, int address) throws IOException {
        try (I2cDevBus bus = I2cDevBus.open(device, address)) {
            return bus.read(Bme68xDriver.REG_CHIP_ID, 1)[0] & 0xFF;
        }
    }
}

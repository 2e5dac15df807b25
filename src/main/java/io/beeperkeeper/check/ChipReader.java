package io.beeperkeeper.check;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads the chip id register of a would-be BME680 at an I2C address: the hub's own i2c-dev access
 * ({@link io.beeperkeeper.sensor.bme680.Bme680ChipId}) on a Pi, a fake in tests.
 */
@FunctionalInterface
public interface ChipReader {
    ChipReader I2C_DEV = io.beeperkeeper.sensor.bme680.Bme680ChipId::read;

    /** @throws IOException with the reason when nothing answers or the bus refuses */
    int chipId(Path device, int address) throws IOException;
}

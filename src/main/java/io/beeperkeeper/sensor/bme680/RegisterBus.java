package io.beeperkeeper.sensor.bme680;

import java.io.IOException;

/**
 * The few register operations the BME68x driver needs, so the same driver runs against Linux i2c-dev
 * ({@link I2cDevBus}) and against an in-memory register map ({@link MemoryRegisterBus}: tests and
 * {@code beeper bme680-decode}). Registers and values are 0-255.
 */
interface RegisterBus {
    /** Reads {@code length} consecutive registers starting at {@code register} (auto-increment). */
    byte[] read(int register, int length) throws IOException;

    /** Writes one register. */
    void write(int register, int value) throws IOException;
}

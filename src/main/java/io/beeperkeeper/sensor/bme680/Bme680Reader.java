package io.beeperkeeper.sensor.bme680;

import java.io.Closeable;
import java.io.IOException;

/** One way to the chip: user-space I2C with Bosch's compensation, or the kernel's IIO driver. */
public interface Bme680Reader extends Closeable {
    /** Short description for logs, e.g. "BME680 on /dev/i2c-1 0x77". */
    String describe();

    Bme680Values read() throws IOException;

    @Override
    default void close() throws IOException {
    }
}

package io.beeperkeeper.sensor.bme680;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;

/** BME680/BME688 over i2c-dev: {@link Bme68xDriver} on an {@link I2cDevBus}, one forced measurement per read. */
public final class I2cBme680Reader implements Bme680Reader {
    private final I2cDevBus bus;
    private final Bme68xDriver driver;
    private final String description;

    private I2cBme680Reader(I2cDevBus bus, Bme68xDriver driver, String description) {
        this.bus = bus;
        this.driver = driver;
        this.description = description;
    }

    /** Opens the bus and initialises the chip; fails with a message naming the fix if it is not there. */
    public static I2cBme680Reader open(Path device, int address, Bme68xSettings settings) throws IOException {
        I2cDevBus bus = I2cDevBus.open(device, address);
        Bme68xDriver driver = new Bme68xDriver(bus, settings, Bme68xDriver.Delay.sleeping());
        try {
            driver.init();
        } catch (IOException e) {
            bus.close();
            throw e;
        } catch (InterruptedException e) {
            bus.close();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while initialising the BME68x");
        }
        String chip = driver.variantId() == Bme68xDriver.VARIANT_GAS_HIGH ? "BME688" : "BME680";
        return new I2cBme680Reader(bus, driver, String.format("%s on %s 0x%02x (%s path)", chip, device, address,
                settings.integerPath() ? "integer" : "float"));
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public Bme680Values read() throws IOException {
        try {
            return Bme680Values.of(driver.measure());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted during a BME68x measurement");
        }
    }

    @Override
    public void close() {
        bus.close();
    }
}

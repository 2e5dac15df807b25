package io.beeperkeeper.config;

import java.util.Set;

/**
 * The BME680/BME688: how to reach it ({@code auto} tries the kernel IIO driver, then i2c-dev), where
 * (bus number, address 0x76 = 118 or 0x77 = 119), the gas heater, which of Bosch's compensation paths,
 * and the IAQ burn-in.
 */
public record Bme680Config(String access, int bus, int address, int heaterTempC, int heaterDurationMs,
                           boolean integerCompensation, int iaqBurnInSeconds) {
    private static final Set<String> ACCESS = Set.of("auto", "i2c", "iio");

    public Bme680Config {
        ConfigException.require(access != null && ACCESS.contains(access), "sensors.bme680.access", access,
                "auto (IIO if the kernel driver is loaded, else i2c-dev), i2c or iio");
        ConfigException.require(bus >= 0 && bus <= 99, "sensors.bme680.bus", bus, "an I2C bus number such as 1 (/dev/i2c-1)");
        ConfigException.require(address == 0x76 || address == 0x77, "sensors.bme680.address", address,
                "0x76 (118) or 0x77 (119), as i2cdetect -y 1 shows");
        ConfigException.require(heaterTempC >= 200 && heaterTempC <= 400, "sensors.bme680.heaterTempC", heaterTempC,
                "a heater target of 200-400 degC (320 is Bosch's usual)");
        ConfigException.require(heaterDurationMs >= 1 && heaterDurationMs <= 4032, "sensors.bme680.heaterDurationMs",
                heaterDurationMs, "1-4032 ms (150 is usual)");
        ConfigException.require(iaqBurnInSeconds >= 0 && iaqBurnInSeconds <= 86400, "sensors.bme680.iaqBurnInSeconds",
                iaqBurnInSeconds, "0-86400 seconds");
    }

    public static Bme680Config defaults() {
        return new Bme680Config("auto", 1, 0x77, 320, 150, false, 300);
    }
}

package io.beeperkeeper.sensor.bme680;

/**
 * What a BME680/BME688 reader delivers, whichever way it reaches the chip: degrees Celsius, pascal,
 * percent relative humidity, gas resistance in ohm ({@code NaN} when the reading has none or the gas
 * measurement was not valid), and the chip type if known.
 */
record Bme680Values(double temperatureC, double pressurePa, double humidityRh, double gasOhm, String chip) {
    public boolean hasGas() {
        return !Double.isNaN(gasOhm);
    }

    static Bme680Values of(Bme68xMeasurement m) {
        return new Bme680Values(m.temperatureC(), m.pressurePa(), m.humidityRh(),
                m.gasValid() && m.heatStable() ? m.gasOhm() : Double.NaN, m.variantName());
    }
}

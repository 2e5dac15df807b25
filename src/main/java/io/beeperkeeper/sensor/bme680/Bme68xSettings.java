package io.beeperkeeper.sensor.bme680;

/**
 * How the driver runs the chip: oversampling codes (0 off, 1 = 1x ... 5 = 16x), IIR filter code (0-7),
 * the heater target and duration for the gas measurement, the ambient temperature the heater
 * calculation starts from (the driver then follows the measured temperature), and which of Bosch's two
 * compensation paths to use.
 */
public record Bme68xSettings(int osTemperature, int osPressure, int osHumidity, int filter,
                             int heaterTempC, int heaterDurationMs, int ambientTempC, boolean integerPath) {
    public Bme68xSettings {
        checkRange("temperature oversampling", osTemperature, 0, 5);
        checkRange("pressure oversampling", osPressure, 0, 5);
        checkRange("humidity oversampling", osHumidity, 0, 5);
        checkRange("IIR filter", filter, 0, 7);
        checkRange("heater temperature (degC)", heaterTempC, 0, 400);
        checkRange("heater duration (ms)", heaterDurationMs, 0, 4032);
        checkRange("ambient temperature (degC)", ambientTempC, -40, 85);
    }

    /** Bosch's forced-mode example: T 2x, P 16x, H 1x, filter off; heater 320 degC for 150 ms. */
    public static Bme68xSettings defaults() {
        return new Bme68xSettings(2, 5, 1, 0, 320, 150, 25, false);
    }

    public Bme68xSettings withHeater(int tempC, int durationMs) {
        return new Bme68xSettings(osTemperature, osPressure, osHumidity, filter, tempC, durationMs, ambientTempC, integerPath);
    }

    public Bme68xSettings withIntegerPath(boolean integer) {
        return new Bme68xSettings(osTemperature, osPressure, osHumidity, filter, heaterTempC, heaterDurationMs, ambientTempC, integer);
    }

    private static void checkRange(String what, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException("BME68x " + what + " must be " + min + "-" + max + ", got " + v);
        }
    }
}

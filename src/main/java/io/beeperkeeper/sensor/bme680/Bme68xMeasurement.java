package io.beeperkeeper.sensor.bme680;

/**
 * A compensated BME68x measurement. On the float path the values are Bosch's floats widened to double;
 * on the integer path they are Bosch's integers scaled to units ({@code temperature/100},
 * {@code humidity/1000}), with the raw integers kept in {@code integerValues} for exact comparison.
 */
record Bme68xMeasurement(double temperatureC, double pressurePa, double humidityRh, double gasOhm,
                                int variantId, boolean gasValid, boolean heatStable, boolean integerPath,
                                IntegerValues integerValues) {

    /** Bosch's integer-path outputs: int16 centi-degrees, uint32 Pa, uint32 milli-%RH, uint32 ohm. */
    public record IntegerValues(short temperatureX100, long pressurePa, long humidityX1000, long gasOhm) {
    }

    public String variantName() {
        return variantId == Bme68xDriver.VARIANT_GAS_HIGH ? "BME688" : "BME680";
    }

    /** Compensates one raw field with the given calibration, on the float or the integer path. */
    public static Bme68xMeasurement compensate(Bme68xRawData raw, Bme68xCalibration cal, int variantId, boolean integerPath) {
        boolean high = variantId == Bme68xDriver.VARIANT_GAS_HIGH;
        if (integerPath) {
            int tFine = Bme68xCompensation.tFineInt(raw.adcTemperature(), cal);
            short t = Bme68xCompensation.temperatureInt(tFine);
            long p = Bme68xCompensation.pressureInt(raw.adcPressure(), tFine, cal);
            long h = Bme68xCompensation.humidityInt(raw.adcHumidity(), tFine, cal);
            long g = high ? Bme68xCompensation.gasResistanceHighInt(raw.adcGasHigh(), raw.gasRangeHigh())
                    : Bme68xCompensation.gasResistanceLowInt(raw.adcGasLow(), raw.gasRangeLow(), cal);
            return new Bme68xMeasurement(t / 100.0, p, h / 1000.0, g, variantId, raw.gasValid(), raw.heatStable(), true,
                    new IntegerValues(t, p, h, g));
        }
        float tFine = Bme68xCompensation.tFineFloat(raw.adcTemperature(), cal);
        float t = Bme68xCompensation.temperatureFloat(tFine);
        float p = Bme68xCompensation.pressureFloat(raw.adcPressure(), tFine, cal);
        float h = Bme68xCompensation.humidityFloat(raw.adcHumidity(), tFine, cal);
        float g = high ? Bme68xCompensation.gasResistanceHighFloat(raw.adcGasHigh(), raw.gasRangeHigh())
                : Bme68xCompensation.gasResistanceLowFloat(raw.adcGasLow(), raw.gasRangeLow(), cal);
        return new Bme68xMeasurement(t, p, h, g, variantId, raw.gasValid(), raw.heatStable(), false, null);
    }
}

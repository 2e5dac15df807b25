package io.beeperkeeper.sensor.bme680;

/**
 * Bosch's BME68x compensation (BME68x Sensor API v4.4.5, {@code bme68x.c}), ported line by line: the
 * float path ({@code BME68X_USE_FPU}, the API's default) and the integer path. Java {@code float} is
 * IEEE single precision operation by operation, {@code int} wraps like the C code's int32 on every
 * target Bosch supports, and {@code long} stands for int64; every expression keeps the C order of
 * operations and its casts so the results are bit-for-bit those of the C functions (the float path up
 * to an FMA contraction a C compiler may choose on its own).
 *
 * <p>Bosch keeps {@code t_fine} in the device struct between calls; here it is an explicit value:
 * {@link #tFineFloat}/{@link #tFineInt} give it, and pressure and humidity take it.
 * Unsigned 32-bit C results are returned as {@code long}.
 */
final class Bme68xCompensation {
    private Bme68xCompensation() {
    }

    // ---------------------------------------------------------------- float path (BME68X_USE_FPU)

    /** calc_temperature, first half: the float t_fine. */
    public static float tFineFloat(long tempAdc, Bme68xCalibration c) {
        float adc = (float) tempAdc;
        float var1 = (((adc / 16384.0f) - ((float) c.parT1() / 1024.0f)) * ((float) c.parT2()));
        float var2 = ((((adc / 131072.0f) - ((float) c.parT1() / 8192.0f))
                * ((adc / 131072.0f) - ((float) c.parT1() / 8192.0f))) * ((float) c.parT3() * 16.0f));
        return var1 + var2;
    }

    /** calc_temperature: degrees Celsius. */
    public static float temperatureFloat(float tFine) {
        return tFine / 5120.0f;
    }

    /** calc_pressure: pascal; 0 when the calibration would divide by zero. */
    public static float pressureFloat(long presAdc, float tFine, Bme68xCalibration c) {
        float var1 = ((tFine / 2.0f) - 64000.0f);
        float var2 = var1 * var1 * (((float) c.parP6()) / (131072.0f));
        var2 = var2 + (var1 * ((float) c.parP5()) * 2.0f);
        var2 = (var2 / 4.0f) + (((float) c.parP4()) * 65536.0f);
        var1 = (((((float) c.parP3() * var1 * var1) / 16384.0f) + ((float) c.parP2() * var1)) / 524288.0f);
        var1 = ((1.0f + (var1 / 32768.0f)) * ((float) c.parP1()));
        float calcPres = (1048576.0f - ((float) presAdc));
        if ((int) var1 != 0) {
            calcPres = (((calcPres - (var2 / 4096.0f)) * 6250.0f) / var1);
            var1 = (((float) c.parP9()) * calcPres * calcPres) / 2147483648.0f;
            var2 = calcPres * (((float) c.parP8()) / 32768.0f);
            float var3 = ((calcPres / 256.0f) * (calcPres / 256.0f) * (calcPres / 256.0f) * (c.parP10() / 131072.0f));
            calcPres = (calcPres + (var1 + var2 + var3 + ((float) c.parP7() * 128.0f)) / 16.0f);
        } else {
            calcPres = 0;
        }
        return calcPres;
    }

    /** calc_humidity: percent relative humidity, capped to 0-100. */
    public static float humidityFloat(int humAdc, float tFine, Bme68xCalibration c) {
        float tempComp = (tFine / 5120.0f);
        float var1 = (float) humAdc - (((float) c.parH1() * 16.0f) + (((float) c.parH3() / 2.0f) * tempComp));
        float var2 = var1 * ((((float) c.parH2() / 262144.0f)
                * (1.0f + (((float) c.parH4() / 16384.0f) * tempComp)
                + (((float) c.parH5() / 1048576.0f) * tempComp * tempComp))));
        float var3 = (float) c.parH6() / 16384.0f;
        float var4 = (float) c.parH7() / 2097152.0f;
        float calcHum = var2 + ((var3 + (var4 * tempComp)) * var2 * var2);
        if (calcHum > 100.0f) {
            calcHum = 100.0f;
        } else if (calcHum < 0.0f) {
            calcHum = 0.0f;
        }
        return calcHum;
    }

    private static final float[] LOOKUP_K1_RANGE = {
            0.0f, 0.0f, 0.0f, 0.0f, 0.0f, -1.0f, 0.0f, -0.8f, 0.0f, 0.0f, -0.2f, -0.5f, 0.0f, -1.0f, 0.0f, 0.0f};
    private static final float[] LOOKUP_K2_RANGE = {
            0.0f, 0.0f, 0.0f, 0.0f, 0.1f, 0.7f, 0.0f, -0.8f, -0.1f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};

    /** calc_gas_resistance_low (BME680, variant 0): ohm. */
    public static float gasResistanceLowFloat(int gasResAdc, int gasRange, Bme68xCalibration c) {
        float gasResF = gasResAdc;
        float gasRangeF = (1 << gasRange);
        float var1 = (1340.0f + (5.0f * c.rangeSwErr()));
        float var2 = (var1) * (1.0f + LOOKUP_K1_RANGE[gasRange] / 100.0f);
        float var3 = 1.0f + (LOOKUP_K2_RANGE[gasRange] / 100.0f);
        return 1.0f / (var3 * (0.000000125f) * gasRangeF * (((gasResF - 512.0f) / var2) + 1.0f));
    }

    /** calc_gas_resistance_high (BME688, variant 1): ohm. */
    public static float gasResistanceHighFloat(int gasResAdc, int gasRange) {
        int var1 = 262144 >>> gasRange;
        int var2 = gasResAdc - 512;
        var2 *= 3;
        var2 = 4096 + var2;
        return 1000000.0f * (float) var1 / (float) var2;
    }

    /** calc_res_heat, float path: the res_heat_x register code for a heater target (capped at 400 degC). */
    public static int resHeatFloat(int targetTempC, int ambientTempC, Bme68xCalibration c) {
        int temp = Math.min(targetTempC, 400);
        float var1 = (((float) c.parGh1() / (16.0f)) + 49.0f);
        float var2 = ((((float) c.parGh2() / (32768.0f)) * (0.0005f)) + 0.00235f);
        float var3 = ((float) c.parGh3() / (1024.0f));
        float var4 = (var1 * (1.0f + (var2 * (float) temp)));
        float var5 = (var4 + (var3 * (float) (byte) ambientTempC));
        // C: (uint8_t)(float); in range this is truncation toward zero.
        return ((int) (3.4f * ((var5 * (4 / (4 + (float) c.resHeatRange()))
                * (1 / (1 + ((float) c.resHeatVal() * 0.002f)))) - 25))) & 0xFF;
    }

    // ---------------------------------------------------------------- integer path

    /** calc_temperature, integer: t_fine, with the 64-bit intermediate steps of v4.4.x. */
    public static int tFineInt(long tempAdc, Bme68xCalibration c) {
        long var1 = (((int) tempAdc) >> 3) - (c.parT1() << 1);
        long var2 = (var1 * c.parT2()) >> 11;
        long var3 = ((var1 >> 1) * (var1 >> 1)) >> 12;
        var3 = (var3 * (c.parT3() << 4)) >> 14;
        return (int) (var2 + var3);
    }

    /** calc_temperature, integer: hundredths of a degree Celsius (int16). */
    public static short temperatureInt(int tFine) {
        return (short) (((tFine * 5) + 128) >> 8);
    }

    /** calc_pressure, integer: pascal (uint32), with the overflow branch of the division. */
    public static long pressureInt(long presAdc, int tFine, Bme68xCalibration c) {
        final int presOvfCheck = 0x40000000;
        int var1 = (tFine >> 1) - 64000;
        int var2 = ((((var1 >> 2) * (var1 >> 2)) >> 11) * c.parP6()) >> 2;
        var2 = var2 + ((var1 * c.parP5()) << 1);
        var2 = (var2 >> 2) + (c.parP4() << 16);
        var1 = (((((var1 >> 2) * (var1 >> 2)) >> 13) * (c.parP3() << 5)) >> 3) + ((c.parP2() * var1) >> 1);
        var1 = var1 >> 18;
        var1 = ((32768 + var1) * c.parP1()) >> 15;
        int pressureComp = 1048576 - (int) presAdc;
        // C multiplies by (uint32_t)3125: modulo 2^32, then back to int32 - what Java's int does.
        pressureComp = (pressureComp - (var2 >> 12)) * 3125;
        if (pressureComp >= presOvfCheck) {
            pressureComp = ((pressureComp / var1) << 1);
        } else {
            pressureComp = ((pressureComp << 1) / var1);
        }
        var1 = (c.parP9() * (((pressureComp >> 3) * (pressureComp >> 3)) >> 13)) >> 12;
        var2 = ((pressureComp >> 2) * c.parP8()) >> 13;
        int var3 = ((pressureComp >> 8) * (pressureComp >> 8) * (pressureComp >> 8) * c.parP10()) >> 17;
        pressureComp = pressureComp + ((var1 + var2 + var3 + (c.parP7() << 7)) >> 4);
        return pressureComp & 0xFFFFFFFFL;
    }

    /** calc_humidity, integer: thousandths of a percent (uint32), capped to 0-100000. */
    public static long humidityInt(int humAdc, int tFine, Bme68xCalibration c) {
        int tempScaled = ((tFine * 5) + 128) >> 8;
        int var1 = (humAdc - (c.parH1() * 16)) - (((tempScaled * c.parH3()) / 100) >> 1);
        int var2 = (c.parH2()
                * (((tempScaled * c.parH4()) / 100)
                + (((tempScaled * ((tempScaled * c.parH5()) / 100)) >> 6) / 100)
                + (1 << 14))) >> 10;
        int var3 = var1 * var2;
        int var4 = c.parH6() << 7;
        var4 = ((var4) + ((tempScaled * c.parH7()) / 100)) >> 4;
        int var5 = ((var3 >> 14) * (var3 >> 14)) >> 10;
        int var6 = (var4 * var5) >> 1;
        int calcHum = (((var3 + var6) >> 10) * 1000) >> 12;
        if (calcHum > 100000) {
            calcHum = 100000;
        } else if (calcHum < 0) {
            calcHum = 0;
        }
        return calcHum & 0xFFFFFFFFL;
    }

    private static final long[] LOOKUP_TABLE1 = {
            2147483647L, 2147483647L, 2147483647L, 2147483647L, 2147483647L,
            2126008810L, 2147483647L, 2130303777L, 2147483647L, 2147483647L,
            2143188679L, 2136746228L, 2147483647L, 2126008810L, 2147483647L, 2147483647L};
    private static final long[] LOOKUP_TABLE2 = {
            4096000000L, 2048000000L, 1024000000L, 512000000L, 255744255L,
            127110228L, 64000000L, 32258064L, 16016016L, 8000000L,
            4000000L, 2000000L, 1000000L, 500000L, 250000L, 125000L};

    /** calc_gas_resistance_low, integer (BME680): ohm (uint32). */
    public static long gasResistanceLowInt(int gasResAdc, int gasRange, Bme68xCalibration c) {
        long var1 = ((1340 + (5 * (long) c.rangeSwErr())) * LOOKUP_TABLE1[gasRange]) >> 16;
        // C declares var2 uint64_t but only ever uses it cast back to int64_t.
        long var2 = ((((long) gasResAdc << 15) - 16777216L) + var1);
        long var3 = ((LOOKUP_TABLE2[gasRange] * var1) >> 9);
        return ((var3 + (var2 >> 1)) / var2) & 0xFFFFFFFFL;
    }

    /** calc_gas_resistance_high, integer (BME688): ohm (uint32). */
    public static long gasResistanceHighInt(int gasResAdc, int gasRange) {
        long var1 = 262144L >>> gasRange;
        int var2 = gasResAdc - 512;
        var2 *= 3;
        var2 = 4096 + var2;
        // C: uint32 multiply and unsigned division, then *100 modulo 2^32.
        long calc = ((10000L * var1) & 0xFFFFFFFFL) / (var2 & 0xFFFFFFFFL);
        return (calc * 100) & 0xFFFFFFFFL;
    }

    /** calc_res_heat, integer path: the res_heat_x register code (capped at 400 degC). */
    public static int resHeatInt(int targetTempC, int ambientTempC, Bme68xCalibration c) {
        int temp = Math.min(targetTempC, 400);
        int var1 = ((((byte) ambientTempC) * c.parGh3()) / 1000) * 256;
        int var2 = (c.parGh1() + 784) * (((((c.parGh2() + 154009) * temp * 5) / 100) + 3276800) / 10);
        int var3 = var1 + (var2 / 2);
        int var4 = (var3 / (c.resHeatRange() + 4));
        int var5 = (131 * c.resHeatVal()) + 65536;
        int heatrResX100 = ((var4 / var5) - 250) * 34;
        return ((heatrResX100 + 50) / 100) & 0xFF;
    }

    /** calc_gas_wait: the gas_wait_x code for a heater duration in ms (4 multiplication factors). */
    public static int gasWait(int durationMs) {
        int dur = durationMs & 0xFFFF;
        if (dur >= 0xfc0) {
            return 0xff;
        }
        int factor = 0;
        while (dur > 0x3F) {
            dur = dur / 4;
            factor += 1;
        }
        return (dur + (factor * 64)) & 0xFF;
    }
}

package io.beeperkeeper.sensor.bme680;

/**
 * One data field (17 registers from 0x1D) as Bosch's {@code read_field_data} decodes it, before
 * compensation. Status bits follow the variant: the BME680 (variant 0) reports gas_valid and heat_stab in
 * gas_r_lsb (0x2B), the BME688 (variant 1) in gas_r_lsb of the high range (0x2D).
 */
record Bme68xRawData(boolean newData, int gasIndex, int measIndex, long adcPressure, long adcTemperature,
                            int adcHumidity, int adcGasLow, int gasRangeLow, int adcGasHigh, int gasRangeHigh,
                            boolean gasValid, boolean heatStable) {
    public static final int REG_FIELD0 = 0x1D;
    public static final int LEN_FIELD = 17;
    static final int NEW_DATA_MSK = 0x80;
    static final int GAS_INDEX_MSK = 0x0F;
    static final int GAS_RANGE_MSK = 0x0F;
    static final int GASM_VALID_MSK = 0x20;
    static final int HEAT_STAB_MSK = 0x10;

    public static Bme68xRawData parse(byte[] field, int variantId) {
        if (field.length != LEN_FIELD) {
            throw new IllegalArgumentException("a BME68x data field has 17 registers, got " + field.length);
        }
        int[] b = new int[LEN_FIELD];
        for (int i = 0; i < LEN_FIELD; i++) {
            b[i] = field[i] & 0xFF;
        }
        long adcPres = (b[2] * 4096L) | (b[3] * 16L) | (b[4] / 16);
        long adcTemp = (b[5] * 4096L) | (b[6] * 16L) | (b[7] / 16);
        int adcHum = (b[8] * 256) | b[9];
        int adcGasLow = (b[13] * 4 | (b[14] / 64)) & 0xFFFF;
        int adcGasHigh = (b[15] * 4 | (b[16] / 64)) & 0xFFFF;
        int statusByte = variantId == Bme68xDriver.VARIANT_GAS_HIGH ? b[16] : b[14];
        return new Bme68xRawData((b[0] & NEW_DATA_MSK) != 0, b[0] & GAS_INDEX_MSK, b[1], adcPres, adcTemp, adcHum,
                adcGasLow, b[14] & GAS_RANGE_MSK, adcGasHigh, b[16] & GAS_RANGE_MSK,
                (statusByte & GASM_VALID_MSK) != 0, (statusByte & HEAT_STAB_MSK) != 0);
    }
}

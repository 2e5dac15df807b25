package io.beeperkeeper.sensor.bme680;

import java.io.IOException;

/**
 * The factory calibration of one BME680/BME688, as Bosch's {@code get_calib_data} (BME68x Sensor API
 * v4.4.x) reads it: 23 bytes from 0x8A, 14 from 0xE1 and 5 from 0x00, concatenated into a 42-byte
 * coefficient array. Each field holds the value of the C type it has in {@code struct bme68x_calib_data}
 * (uint16, int16, int8, uint8), widened to Java {@code int} exactly as C's integer promotion does.
 */
record Bme68xCalibration(
        int parT1, int parT2, int parT3,
        int parP1, int parP2, int parP3, int parP4, int parP5, int parP6, int parP7, int parP8, int parP9, int parP10,
        int parH1, int parH2, int parH3, int parH4, int parH5, int parH6, int parH7,
        int parGh1, int parGh2, int parGh3,
        int resHeatRange, int resHeatVal, int rangeSwErr) {

    public static final int REG_COEFF1 = 0x8A;
    public static final int LEN_COEFF1 = 23;
    public static final int REG_COEFF2 = 0xE1;
    public static final int LEN_COEFF2 = 14;
    public static final int REG_COEFF3 = 0x00;
    public static final int LEN_COEFF3 = 5;
    public static final int LEN_COEFF_ALL = LEN_COEFF1 + LEN_COEFF2 + LEN_COEFF3;

    /** Reads the three coefficient blocks from the chip. */
    public static Bme68xCalibration read(RegisterBus bus) throws IOException {
        byte[] all = new byte[LEN_COEFF_ALL];
        System.arraycopy(bus.read(REG_COEFF1, LEN_COEFF1), 0, all, 0, LEN_COEFF1);
        System.arraycopy(bus.read(REG_COEFF2, LEN_COEFF2), 0, all, LEN_COEFF1, LEN_COEFF2);
        System.arraycopy(bus.read(REG_COEFF3, LEN_COEFF3), 0, all, LEN_COEFF1 + LEN_COEFF2, LEN_COEFF3);
        return fromCoefficients(all);
    }

    /** Parses the 42-byte coefficient array (Bosch's index layout, BME68X_IDX_*). */
    public static Bme68xCalibration fromCoefficients(byte[] c) {
        if (c.length != LEN_COEFF_ALL) {
            throw new IllegalArgumentException("the BME68x coefficient array has 42 bytes, got " + c.length);
        }
        return new Bme68xCalibration(
                u16(c[32], c[31]), s16(c[1], c[0]), c[2],
                u16(c[5], c[4]), s16(c[7], c[6]), c[8], s16(c[11], c[10]), s16(c[13], c[12]), c[15], c[14],
                s16(c[19], c[18]), s16(c[21], c[20]), u8(c[22]),
                // H1 and H2 share byte 24: H1 takes its low nibble, H2 its high nibble.
                (u8(c[25]) << 4) | (u8(c[24]) & 0x0F),
                (u8(c[23]) << 4) | (u8(c[24]) >> 4),
                c[26], c[27], c[28], u8(c[29]), c[30],
                c[35], s16(c[34], c[33]), c[36],
                (u8(c[39]) & 0x30) / 16,
                c[37],
                // C: ((int8_t)(byte & 0xF0)) / 16, a signed division (0xF0 -> -1).
                ((byte) (u8(c[41]) & 0xF0)) / 16);
    }

    private static int u8(byte b) {
        return b & 0xFF;
    }

    private static int u16(byte msb, byte lsb) {
        return (u8(msb) << 8) | u8(lsb);
    }

    private static int s16(byte msb, byte lsb) {
        return (short) u16(msb, lsb);
    }
}

package io.beeperkeeper.sensor.bme680;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the text of {@code i2cdump -y BUS ADDRESS} (i2c-tools, byte mode): a header line, then 16 rows
 * {@code "00: 28 00 1a ...    (ascii)"}. Returns the 256 registers; rejects a dump with missing rows or
 * {@code XX} (unreadable) cells, naming the row.
 */
final class I2cDumpParser {
    private static final Pattern ROW = Pattern.compile("^\\s*([0-9a-fA-F]{2}):((?:\\s+(?:[0-9a-fA-F]{2}|XX)){16})");

    private I2cDumpParser() {
    }

    public static byte[] parse(String text) {
        byte[] regs = new byte[256];
        boolean[] seen = new boolean[16];
        for (String line : text.split("\\R")) {
            Matcher m = ROW.matcher(line);
            if (!m.find()) {
                continue;
            }
            int base = Integer.parseInt(m.group(1), 16);
            if (base % 16 != 0) {
                throw new IllegalArgumentException("i2cdump row '" + m.group(1) + ":' is not a multiple of 0x10");
            }
            String[] cells = m.group(2).trim().split("\\s+");
            for (int i = 0; i < 16; i++) {
                if (cells[i].equals("XX")) {
                    throw new IllegalArgumentException(String.format("i2cdump could not read register 0x%02x (XX):"
                            + " check the wiring and the address, then dump again", base + i));
                }
                regs[base + i] = (byte) Integer.parseInt(cells[i], 16);
            }
            seen[base / 16] = true;
        }
        for (int r = 0; r < 16; r++) {
            if (!seen[r]) {
                throw new IllegalArgumentException(String.format("the i2cdump text has no complete row %02x: (16 values); give the whole"
                        + " output of 'i2cdump -y 1 0x77' (all 256 registers, byte mode)", r * 16));
            }
        }
        return regs;
    }
}

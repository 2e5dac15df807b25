package io.beeperkeeper.sensor.bme680;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;

/**
 * The logic of {@code beeper bme680-decode}: an i2cdump of the chip in, one JSON object out, computed by
 * the driver's own read path ({@link Bme68xDriver#readField()} over a {@link MemoryRegisterBus}), so a
 * hand check exercises exactly the code the hub runs.
 */
public final class Bme680Decode {
    private final ObjectMapper json;

    public Bme680Decode(ObjectMapper json) {
        this.json = json;
    }

    /** Decodes a dump; {@code IllegalArgumentException} with a message for the user on bad input. */
    public ObjectNode decode(String i2cdumpText, boolean integerPath) {
        byte[] registers = I2cDumpParser.parse(i2cdumpText);
        if ((registers[Bme68xDriver.REG_CHIP_ID] & 0xFF) != Bme68xDriver.CHIP_ID) {
            throw new IllegalArgumentException(String.format("register 0xD0 (chip id) is 0x%02X, not 0x61: this dump"
                    + " is not of a BME680/BME688", registers[Bme68xDriver.REG_CHIP_ID] & 0xFF));
        }
        Bme68xDriver driver = new Bme68xDriver(new MemoryRegisterBus(registers),
                Bme68xSettings.defaults().withIntegerPath(integerPath), us -> { });
        Bme68xMeasurement m;
        try {
            m = driver.readField();
        } catch (IOException e) {
            throw new IllegalStateException("an in-memory register map cannot fail to read", e);
        }
        ObjectNode out = json.createObjectNode();
        // Float path: Bosch's floats, printed as floats (shortest form); integer path: Bosch's integers.
        if (integerPath) {
            out.put("temperature_c", m.temperatureC());
            out.put("pressure_pa", m.integerValues().pressurePa());
            out.put("humidity_rh", m.humidityRh());
            out.put("gas_ohm", m.integerValues().gasOhm());
        } else {
            out.put("temperature_c", (float) m.temperatureC());
            out.put("pressure_pa", (float) m.pressurePa());
            out.put("humidity_rh", (float) m.humidityRh());
            out.put("gas_ohm", (float) m.gasOhm());
        }
        out.put("variant", m.variantName());
        out.put("variant_id", m.variantId());
        out.put("gas_valid", m.gasValid());
        out.put("heat_stable", m.heatStable());
        out.put("new_data", (registers[Bme68xRawData.REG_FIELD0] & 0x80) != 0);
        out.put("path", integerPath ? "integer" : "float");
        return out;
    }
}

package io.beeperkeeper.sensor.bme680;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class Bme680DecodeTest {

    /** Renders registers the way i2cdump -y 1 0x77 prints them, ASCII column included. */
    static String i2cdump(byte[] regs) {
        StringBuilder sb = new StringBuilder("     0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f    0123456789abcdef\n");
        for (int row = 0; row < 256; row += 16) {
            sb.append(String.format("%02x: ", row));
            StringBuilder ascii = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                int b = regs[row + i] & 0xFF;
                sb.append(String.format("%02x ", b));
                ascii.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
            }
            sb.append("   ").append(ascii).append('\n');
        }
        return sb.toString();
    }

    private final Bme680Decode decode = new Bme680Decode(new ObjectMapper());

    @Test
    void floatDecodeOfADump() {
        Bme68xVectors.Vector v = Bme68xVectors.named("bme680_room");
        ObjectNode o = decode.decode(i2cdump(v.registers()), false);
        assertThat(o.get("temperature_c").asDouble()).isCloseTo(v.doubles()[0], within(1e-3));
        assertThat(o.get("pressure_pa").asDouble()).isCloseTo(v.doubles()[1], within(1.0));
        assertThat(o.get("humidity_rh").asDouble()).isCloseTo(v.doubles()[2], within(1e-3));
        assertThat(o.get("gas_ohm").asDouble()).isCloseTo(v.doubles()[3], within(3.0));
        assertThat(o.get("variant").asText()).isEqualTo("BME680");
        assertThat(o.get("gas_valid").asBoolean()).isTrue();
        assertThat(o.get("heat_stable").asBoolean()).isTrue();
        assertThat(o.get("path").asText()).isEqualTo("float");
    }

    @Test
    void integerDecodeOfABme688Dump() {
        Bme68xVectors.Vector v = Bme68xVectors.named("bme688_cold_unstable");
        ObjectNode o = decode.decode(i2cdump(v.registers()), true);
        assertThat(o.get("temperature_c").asDouble()).isEqualTo(1.54);
        assertThat(o.get("pressure_pa").asLong()).isEqualTo(v.integers()[1]);
        assertThat(o.get("humidity_rh").asDouble()).isEqualTo(v.integers()[2] / 1000.0);
        assertThat(o.get("gas_ohm").asLong()).isEqualTo(v.integers()[3]);
        assertThat(o.get("variant").asText()).isEqualTo("BME688");
        assertThat(o.get("gas_valid").asBoolean()).isFalse();
        assertThat(o.get("heat_stable").asBoolean()).isFalse();
    }

    @Test
    void incompleteOrForeignDumpsAreRejectedWithTheReason() {
        byte[] regs = Bme68xVectors.named("bme680_room").registers();
        String dump = i2cdump(regs);
        String truncated = dump.substring(0, dump.indexOf("f0:"));
        assertThatThrownBy(() -> decode.decode(truncated, false)).hasMessageContaining("no complete row f0");
        assertThatThrownBy(() -> decode.decode(dump.replaceFirst("(?m)^(20: )..", "$1XX"), false)).hasMessageContaining("0x20");
        byte[] other = regs.clone();
        other[0xD0] = 0x58;
        assertThatThrownBy(() -> decode.decode(i2cdump(other), false)).hasMessageContaining("0x58");
    }
}

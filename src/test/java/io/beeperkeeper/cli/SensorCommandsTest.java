package io.beeperkeeper.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SensorCommandsTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Object command, String... args) {
        return new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    @Test
    void throttledDecodes0x80008() {
        assertThat(run(new ThrottledCommand(), "0x80008")).isZero();
        assertThat(out.toString().trim()).isEqualTo("soft temperature limit active; soft temperature limit has occurred");
    }

    @Test
    void throttledRejectsNonsense() {
        assertThat(run(new ThrottledCommand(), "warm")).isEqualTo(2);
        assertThat(err.toString()).contains("0x80008");
    }

    @Test
    void bme680DecodeFromAnI2cdumpOnStdin() throws Exception {
        String dump;
        try (InputStream in = getClass().getResourceAsStream("/bme68x/i2cdump-bme680.txt")) {
            dump = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(run(new Bme680DecodeCommand(new ByteArrayInputStream(dump.getBytes(StandardCharsets.UTF_8))), "--integer")).isZero();
        JsonNode o = new ObjectMapper().readTree(out.toString());
        assertThat(o.get("temperature_c").asDouble()).isEqualTo(27.39);
        assertThat(o.get("pressure_pa").asLong()).isEqualTo(96425);
        assertThat(o.get("humidity_rh").asDouble()).isEqualTo(49.775);
        assertThat(o.get("gas_ohm").asLong()).isEqualTo(270801);
        assertThat(o.get("variant").asText()).isEqualTo("BME680");
        assertThat(o.get("gas_valid").asBoolean()).isTrue();
        assertThat(o.get("heat_stable").asBoolean()).isTrue();
    }

    @Test
    void bme680DecodeExplainsAPartialDump() {
        assertThat(run(new Bme680DecodeCommand(new ByteArrayInputStream("00: 28 00\n".getBytes())))).isEqualTo(2);
        assertThat(err.toString()).contains("i2cdump -y 1 0x77");
    }
}

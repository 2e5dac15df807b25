package io.beeperkeeper.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.sensor.bme680.Bme680Decode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** {@code beeper bme680-decode}: an i2cdump of the chip on standard input, one JSON object out. */
@Command(name = "bme680-decode", mixinStandardHelpOptions = true,
        description = {"Decode a BME680/BME688 register dump into temperature, pressure, humidity and gas.",
                "Reads the output of 'i2cdump -y 1 0x77' (all 256 registers) of a BME680/BME688 from standard"
                        + " input, decodes it with the hub's own driver code and prints temperature_c, pressure_pa,"
                        + " humidity_rh, gas_ohm, variant, gas_valid and heat_stable as one JSON object.",
                "Example: i2cdump -y 1 0x77 | beeper bme680-decode"})
final class Bme680DecodeCommand implements Callable<Integer> {
    @Option(names = "--integer", description = "Use Bosch's integer compensation instead of the float path.")
    boolean integer;

    @Spec
    CommandSpec spec;

    private final InputStream in;

    public Bme680DecodeCommand() {
        this(System.in);
    }

    public Bme680DecodeCommand(InputStream in) {
        this.in = in;
    }

    @Override
    public Integer call() throws IOException {
        String text = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        ObjectMapper json = io.beeperkeeper.feature.Json.newMapper();
        try {
            spec.commandLine().getOut().println(json.writeValueAsString(new Bme680Decode(json).decode(text, integer)));
            spec.commandLine().getOut().flush();
            return 0;
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("bme680-decode: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 2;
        }
    }
}

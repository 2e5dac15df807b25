package io.beeperkeeper.cli;

import io.beeperkeeper.sensor.system.ThrottleFlags;
import io.beeperkeeper.sensor.system.ThrottleReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code beeper throttled [HEX]}: decodes a throttle word, or reads this Pi's. */
@Command(name = "throttled", mixinStandardHelpOptions = true,
        description = {"Decode the Raspberry Pi's throttle flags (vcgencmd get_throttled), such as 0x80008.",
                "Without a value, reads this machine's (firmware sysfs node, else vcgencmd)."})
final class ThrottledCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "HEX", description = "The throttle word, e.g. 0x80008 or throttled=0x50005.")
    String value;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Optional<ThrottleFlags> flags;
        try {
            flags = value != null ? Optional.of(ThrottleFlags.parse(value)) : ThrottleReader.system().read();
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("throttled: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 2;
        }
        if (flags.isEmpty()) {
            spec.commandLine().getErr().println("throttled: no throttle flags here (not a Raspberry Pi, or vcgencmd"
                    + " missing); give a value to decode, such as 'beeper throttled 0x80008'");
            spec.commandLine().getErr().flush();
            return 1;
        }
        spec.commandLine().getOut().println(flags.get().describe());
        spec.commandLine().getOut().flush();
        return 0;
    }
}

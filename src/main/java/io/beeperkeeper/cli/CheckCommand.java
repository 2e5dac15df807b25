package io.beeperkeeper.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.beeperkeeper.check.Area;
import io.beeperkeeper.check.Checker;
import io.beeperkeeper.check.ChipReader;
import io.beeperkeeper.check.Finding;
import io.beeperkeeper.check.Fix;
import io.beeperkeeper.check.Host;
import io.beeperkeeper.check.Report;
import io.beeperkeeper.check.ReportText;
import io.beeperkeeper.config.BeeperConfig;
import io.beeperkeeper.config.ConfigException;
import io.beeperkeeper.config.ConfigLocation;
import io.beeperkeeper.feature.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code beeper check}: looks at this machine for what the settings need (cameras, microphones, I2C and
 * the BME680, vcgencmd, ffmpeg, the data folder's disk, the ports) and prints what run will use, what
 * is missing and the exact fix; {@code --json} gives the same report to scripts.
 */
@Command(name = "check", mixinStandardHelpOptions = true, usageHelpWidth = 100,
        description = {"Check this machine for what 'beeper run' needs: cameras (rpicam-hello, /dev/video* and their"
                + " formats), microphones (ALSA), I2C and the BME680 (0x76/0x77, or the kernel's IIO driver), vcgencmd,"
                + " ffmpeg and its encoders, free disk of the data folder, and the ports the settings use.",
                "Prints what run will use, what is missing and the exact fix: lines to paste into beeper.yaml,"
                        + " commands such as 'sudo raspi-config nonint do_i2c 0' or 'sudo apt-get install -y ...'.",
                "It reads the same settings as 'beeper run' (same options and environment)."},
        footer = {"", "Exit status: 0 when run will start (missing parts are reported, run goes without them);"
                + " 1 when a blocker stops it: settings that do not load, a port in use, a data folder this user cannot"
                + " write, or sensors.mode hardware without the hardware. Ports held by a Beeper Keeper hub that"
                + " already runs here (the service) are reported, not blockers."})
final class CheckCommand implements Callable<Integer> {
    @Mixin
    SettingsOptions settings = new SettingsOptions();

    @Option(names = "--json", description = "Print the report as one JSON document (same findings) instead of text.")
    boolean json;

    @Option(names = "--root", hidden = true, paramLabel = "DIR", description = "Read sys/, proc/, dev/ and etc/ under DIR (tests).")
    Path root = Path.of("/");

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws JsonProcessingException {
        Map<String, String> env = System.getenv();
        Optional<ConfigLocation> location = settings.location(env, root);
        BeeperConfig config;
        Finding about;
        String where = location.map(l -> l.path().toAbsolutePath() + " (" + l.found() + ")").orElse("none: built-in defaults (demo sensors)");
        try {
            config = settings.load(location, env);
            about = Finding.ok(Area.SETTINGS, "file", where);
        } catch (ConfigException e) {
            about = Finding.blocker(Area.SETTINGS, "file", where + ": " + e.getMessage() + "; the rest is checked with the"
                    + " built-in defaults", Fix.todo("correct the key named in " + location.map(l -> l.path().toString()).orElse("the environment")));
            config = BeeperConfig.defaults();
        }
        Host host = new Host(root, Host.system().searchPath(), Host.system().timeout());
        Report report = new Checker(host, ChipReader.I2C_DEV).check(config, about);
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.newMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
        } else {
            out.print(ReportText.render(report));
        }
        out.flush();
        return report.runWillWork() ? 0 : 1;
    }
}

package io.beeperkeeper.cli;

import io.beeperkeeper.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every command answers --help with its usage, as `beeper help` and a new user expect. */
class CommandHelpTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CommandLine cli = BeeperCommand.commandLine()
            .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));

    private int run(String... args) {
        return cli.execute(args);
    }

    @Test
    void everyCommandAnswersHelpWithItsUsageAndExitCodeZero() {
        Map<String, CommandLine> commands = cli.getSubcommands();
        assertThat(commands).containsKeys("run", "version", "bench", "bme680-decode", "throttled");
        for (String name : commands.keySet()) {
            if (name.equals("help")) {
                continue;
            }
            for (String flag : List.of("--help", "-h")) {
                out.getBuffer().setLength(0);
                err.getBuffer().setLength(0);
                assertThat(run(name, flag)).as("beeper %s %s (stderr: %s)", name, flag, err).isZero();
                assertThat(out.toString()).as("beeper %s %s", name, flag).startsWith("Usage: beeper " + name);
                assertThat(err.toString()).as("beeper %s %s", name, flag).isEmpty();
            }
        }
    }

    @Test
    void benchHelpNamesTheBenchmarksInsteadOfAskingForOne() {
        assertThat(run("bench", "--help")).isZero();
        assertThat(out.toString()).contains("history").doesNotContain("Missing");
    }

    @Test
    void helpListsEveryCommandWithACompleteSentence() {
        assertThat(run("help")).isZero();
        String listing = normalize(out.toString());
        cli.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandSpec().usageMessage().hidden()) {
                assertThat(listing).as("beeper help leaves out the hidden %s", name).doesNotContain(name + " ");
                return;
            }
            String summary = summaryOf(sub);
            assertThat(summary).as("summary of %s", name).endsWith(".");
            assertThat(listing).as("beeper help, line of %s", name).contains(name + " " + normalize(summary));
        });
    }

    @Test
    void bme680DecodeHelpIsWholeSentences() {
        assertThat(run("bme680-decode", "--help")).isZero();
        assertThat(normalize(out.toString()))
                .contains("i2cdump -y 1 0x77 | beeper bme680-decode")
                .contains("heat_stable as one JSON object.");
    }

    @Test
    void runHelpListsOptionsTheSettingsFileAndEveryEnvironmentVariable() {
        assertThat(run("run", "--help")).isZero();
        String help = out.toString();
        assertThat(help).contains("--config=FILE", "--port=PORT", "--data=DIR", "beeper.yaml", "beeper.example.yaml");
        List<String> keys = new ConfigLoader().knownKeys();
        assertThat(keys).hasSizeGreaterThan(20);
        for (String key : keys) {
            assertThat(help).as("run --help names %s", key)
                    .containsPattern("(?m)^\\s+" + ConfigLoader.envName(key) + "\\s+" + key.replace(".", "\\.") + "$");
        }
    }

    @Test
    void unknownBenchmarkIsRefusedWithTheKnownNames() {
        assertThat(run("bench", "nosuch")).isEqualTo(2);
        assertThat(err.toString()).contains("history");
    }

    @Test
    void versionPrintsTheVersionOnTheCommandsOutput() {
        assertThat(run("version")).isZero();
        assertThat(out.toString()).startsWith("Beeper Keeper ").contains("Java ");
    }

    private static String summaryOf(CommandLine sub) {
        String[] header = sub.getCommandSpec().usageMessage().header();
        String[] description = sub.getCommandSpec().usageMessage().description();
        return String.format(header.length > 0 ? header[0] : description[0]);
    }

    private static String normalize(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }
}

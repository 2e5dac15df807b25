package io.beeperkeeper.cli;

import io.beeperkeeper.StartupException;
import io.beeperkeeper.Version;
import io.beeperkeeper.config.ConfigException;
import io.beeperkeeper.config.ConfigLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The `beeper` command: run (default), check, version, bme680-decode, throttled, bench, help; hidden, for the
 * launchers and the package: cds-archive and the cds-training run it records.
 */
@Command(name = "beeper", mixinStandardHelpOptions = true, versionProvider = BeeperCommand.VersionProvider.class,
        description = "Beeper Keeper: a self-hosted coop and barn monitor.%n"
                + "With no command, runs the hub (same as 'beeper run').",
        subcommands = {RunCommand.class, CheckCommand.class, VersionCommand.class, Bme680DecodeCommand.class,
                ThrottledCommand.class, BenchCommand.class, CdsArchiveCommand.class, CdsTrainingCommand.class, CommandLine.HelpCommand.class},
        footer = {"%nIn a source checkout the ./beeper launcher also has 'test' (install the packages the tests",
                "drive, then run the test suite) and 'packages' (install what 'run' or 'test' needs).",
                "'beeper COMMAND --help' explains each command."})
public final class BeeperCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * The command line as the jar runs it: errors a user can fix (bad config, taken port) are one line
     * on standard error with exit code 2, never a stack trace.
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new BeeperCommand());
        cli.getSubcommands().get("run").getCommandSpec().usageMessage().footer(RunCommand.settingsHelp(new ConfigLoader()));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException || e instanceof StartupException) {
                commandLine.getErr().println("beeper: " + e.getMessage());
                commandLine.getErr().flush();
                return 2;
            }
            throw e;
        });
        return cli;
    }

    @Override
    public void run() {
        // no subcommand given: handled by Main, which runs 'run'
    }

    /** Reports the version from the jar manifest. */
    public static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Beeper Keeper " + Version.current()};
        }
    }
}

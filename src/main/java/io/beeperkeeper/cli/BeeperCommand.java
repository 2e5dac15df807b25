package io.beeperkeeper.cli;

import io.beeperkeeper.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `beeper` command: run (default), test, version, help. */
@Command(name = "beeper", mixinStandardHelpOptions = true, versionProvider = BeeperCommand.VersionProvider.class,
        description = "Beeper Keeper: a self-hosted coop and barn monitor.%n"
                + "With no command, runs the hub (same as 'beeper run').",
        subcommands = {RunCommand.class, TestCommand.class, VersionCommand.class, CommandLine.HelpCommand.class})
public final class BeeperCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

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

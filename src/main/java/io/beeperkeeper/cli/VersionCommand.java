package io.beeperkeeper.cli;

import io.beeperkeeper.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `beeper version`: prints the version and the Java runtime. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the version and the Java runtime.")
public final class VersionCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().println("Beeper Keeper " + Version.current()
                + " (Java " + System.getProperty("java.version") + ")");
        spec.commandLine().getOut().flush();
    }
}

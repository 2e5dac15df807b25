package io.beeperkeeper.cli;

import io.beeperkeeper.Version;
import picocli.CommandLine.Command;

/** `beeper version`: prints the version and the Java runtime. */
@Command(name = "version", description = "Print the version.")
public final class VersionCommand implements Runnable {
    @Override
    public void run() {
        System.out.println("Beeper Keeper " + Version.current() + " (Java " + System.getProperty("java.version") + ")");
    }
}

package io.beeperkeeper.cli;

import io.beeperkeeper.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** `beeper version`: prints the version, the Java runtime and the machine; with --natives, the native libraries. */
@Command(name = "version", mixinStandardHelpOptions = true,
        description = "Print the version, the Java runtime and the machine it runs on.")
final class VersionCommand implements Callable<Integer> {
    @Option(names = "--natives", description = "Also load the native libraries the hub uses (SQLite, JNA) and print"
            + " which files were loaded and for which machine; exit code 1 when one cannot be loaded.")
    boolean natives;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        out.println("Beeper Keeper " + Version.current() + " (Java " + System.getProperty("java.version") + ", "
                + System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT) + " " + System.getProperty("os.arch") + ")");
        out.flush();
        if (!natives) {
            return 0;
        }
        try {
            for (NativeLibraries.Loaded l : NativeLibraries.load()) {
                out.println(l.line());
            }
            out.flush();
            return 0;
        } catch (Exception | UnsatisfiedLinkError e) {
            var err = spec.commandLine().getErr();
            err.println("beeper: a native library the hub needs cannot be loaded on " + System.getProperty("os.arch")
                    + ": " + e + ". This jar lacks it for this machine: build the jar with the platform's natives kept.");
            err.flush();
            return 1;
        }
    }
}

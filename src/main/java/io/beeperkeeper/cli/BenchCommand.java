package io.beeperkeeper.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * `beeper bench NAME`: a benchmark a keeper runs on their own hub's machine (a Pi's SD card and CPU) to
 * see what the hub will cost there; it prints figures and fails nothing.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Run a benchmark on this machine and print its figures.",
                "history: the history store holding a year of readings (ingest rate, file size, bytes written"
                        + " per day, query latency over HTTP)."})
final class BenchCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "Which benchmark: history.")
    String name;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Scratch folder for the benchmark's files (default: bench-out/NAME).")
    String dir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        switch (name) {
            case "history" -> HistoryBench.main(new String[] {dir == null ? "bench-out/history" : dir});
            default -> {
                spec.commandLine().getErr().println("beeper bench: no benchmark named '" + name + "'; known: history");
                spec.commandLine().getErr().flush();
                return 2;
            }
        }
        return 0;
    }
}

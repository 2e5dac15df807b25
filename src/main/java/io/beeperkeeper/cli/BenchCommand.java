package io.beeperkeeper.cli;

import io.beeperkeeper.history.bench.HistoryBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** `beeper bench NAME`: runs a benchmark that prints figures (history: the store with a year of data). */
@Command(name = "bench", description = "Run a benchmark and print its figures. Names: history.")
public final class BenchCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "which benchmark: history")
    String name;

    @Option(names = "--dir", description = "scratch folder for the benchmark's files (default: bench-out/<name>)")
    String dir;

    @Override
    public Integer call() throws Exception {
        switch (name) {
            case "history" -> HistoryBench.main(new String[] {dir == null ? "bench-out/history" : dir});
            default -> {
                System.err.println("beeper bench: no benchmark named '" + name + "'; known: history");
                return 2;
            }
        }
        return 0;
    }
}

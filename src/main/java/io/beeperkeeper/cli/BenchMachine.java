package io.beeperkeeper.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What every benchmark needs of the machine it runs on: the load average printed beside each figure
 * (a figure taken on a busy machine says so), and scratch folders removed afterwards.
 */
final class BenchMachine {
    private BenchMachine() {
    }

    /** The 1-, 5- and 15-minute load averages as "0.52 0.61 0.70", or "?" where /proc has none. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    /** Deletes a scratch folder and all in it; one left behind (a file still open) is harmless. */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // a scratch folder left behind is harmless
        }
    }
}

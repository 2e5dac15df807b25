package io.beeperkeeper.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What every benchmark needs of the machine it runs on: the load average printed beside each figure
 * (a figure taken on a busy machine says so), scratch folders removed afterwards, and the
 * percentiles its figures are given in.
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

    /** The p-th percentile (nearest rank) of values in any order; NaN when there are none. */
    static double percentile(List<Double> values, int p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        return s.get(Math.max(0, Math.min(s.size() - 1, (int) Math.ceil(p / 100.0 * s.size()) - 1)));
    }
}

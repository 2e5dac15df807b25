package io.beeperkeeper.check;

import java.util.ArrayList;
import java.util.List;

/** Collects what the probes of one check find, and what run will use, into a {@link Report}. */
final class Findings {
    private final List<Finding> found = new ArrayList<>();
    private final List<String> uses = new ArrayList<>();

    void add(Finding f) {
        found.add(f);
    }

    /** One line of "what run will use". */
    void uses(String line) {
        uses.add(line);
    }

    Report report() {
        return new Report(uses, found);
    }
}

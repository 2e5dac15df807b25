package io.beeperkeeper.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code beeper check}'s report as text for a person: each finding with its fix, then what run will use and the verdict. */
public final class ReportText {
    private ReportText() {
    }

    public static String render(Report r) {
        List<String> lines = new ArrayList<>(List.of("Beeper Keeper check", ""));
        for (Finding f : r.findings()) {
            lines.add(String.format(Locale.ROOT, "%-8s %-10s %s: %s", tag(f.status()), f.area().wireName(), f.name(), f.detail()));
            Fix fix = f.fix();
            if (fix.none()) {
                continue;
            }
            switch (fix.kind()) {
                case PASTE -> lines.add("         fix: paste into " + fix.where() + ":");
                case RUN -> lines.add("         fix: run");
                default -> lines.add("         fix:");
            }
            for (String l : fix.lines()) {
                lines.add("             " + l);
            }
        }
        lines.add("");
        lines.add("What 'beeper run' will use:");
        for (String u : r.runWillUse()) {
            lines.add("  " + u);
        }
        lines.add("");
        if (r.runWillWork()) {
            lines.add("beeper run will start" + (r.missing() == 0 ? "." : " (" + r.missing() + " missing, run goes without: see the fixes above)."));
        } else {
            lines.add("beeper run will NOT start: " + r.blockers() + " blocker" + (r.blockers() == 1 ? "" : "s") + " above.");
        }
        return String.join("\n", lines) + "\n";
    }

    private static String tag(Status s) {
        return switch (s) {
            case OK -> "ok";
            case MISSING -> "missing";
            case BLOCKER -> "BLOCKER";
        };
    }
}

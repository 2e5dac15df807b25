package io.beeperkeeper.check;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.List;

/**
 * What to do about a finding: lines to paste into a file ({@code where}: beeper.yaml, /etc/asound.conf,
 * /boot/firmware/config.txt), shell commands to run, or a thing to do by hand; {@link #NONE} for none.
 */
public record Fix(Kind kind, String where, List<String> lines) {
    public static final Fix NONE = new Fix(Kind.NONE, "", List.of());

    /** The kinds of fix, as --json writes them. */
    public enum Kind {
        NONE("none"), PASTE("paste"), RUN("run"), DO("do");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }
    }

    public Fix {
        lines = List.copyOf(lines);
    }

    /** Lines for beeper.yaml, as YAML from the top level. */
    public static Fix config(List<String> yaml) {
        return new Fix(Kind.PASTE, "beeper.yaml", yaml);
    }

    public static Fix paste(String file, List<String> lines) {
        return new Fix(Kind.PASTE, file, lines);
    }

    public static Fix run(String... commands) {
        return new Fix(Kind.RUN, "", List.of(commands));
    }

    public static Fix todo(String what) {
        return new Fix(Kind.DO, "", List.of(what));
    }

    /** The Debian packages' install line. */
    public static Fix install(String... packages) {
        return run("sudo apt-get install -y " + String.join(" ", packages));
    }

    public boolean none() {
        return kind == Kind.NONE;
    }
}

package io.beeperkeeper.check;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a finding stands for {@code beeper run}. */
public enum Status {
    /** Found and usable. */
    OK("ok"),
    /** Absent or unusable; run still starts (without this part, or with a stand-in). */
    MISSING("missing"),
    /** Run refuses to start until this is fixed. */
    BLOCKER("blocker");

    private final String wireName;

    Status(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}

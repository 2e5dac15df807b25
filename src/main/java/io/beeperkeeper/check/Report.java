package io.beeperkeeper.check;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Comparator;
import java.util.List;

/**
 * What {@code beeper check} found: the parts {@code beeper run} will use (one line each) and every
 * finding, sorted by area. Run works when no finding is a {@link Status#BLOCKER}.
 */
@JsonPropertyOrder({"runWillWork", "blockers", "missing", "runWillUse", "findings"})
public record Report(List<String> runWillUse, List<Finding> findings) {
    public Report {
        runWillUse = List.copyOf(runWillUse);
        findings = findings.stream().sorted(Comparator.comparing(Finding::area)).toList();
    }

    @JsonProperty("blockers")
    public long blockers() {
        return count(Status.BLOCKER);
    }

    @JsonProperty("missing")
    public long missing() {
        return count(Status.MISSING);
    }

    @JsonProperty("runWillWork")
    public boolean runWillWork() {
        return blockers() == 0;
    }

    public List<Finding> in(Area area) {
        return findings.stream().filter(f -> f.area() == area).toList();
    }

    private long count(Status s) {
        return findings.stream().filter(f -> f.status() == s).count();
    }
}

package io.beeperkeeper.telemetry;

/**
 * Why the hub refused a message on a reading topic. Each reason is counted in {@code /api/health}
 * under its label, so a keeper sees at once whether a node's clock is wrong, a sensor is broken or
 * someone is writing garbage to the broker.
 */
enum Refusal {
    TOO_LARGE("too_large"),
    NOT_JSON("not_json"),
    NOT_AN_OBJECT("not_an_object"),
    BAD_TIMESTAMP("bad_timestamp"),
    TIMESTAMP_AHEAD("timestamp_ahead"),
    TIMESTAMP_TOO_OLD("timestamp_too_old"),
    OUT_OF_RANGE("out_of_range"),
    NO_KNOWN_FIELD("no_known_field"),
    UNKNOWN_NODE("unknown_node");

    private final String label;

    Refusal(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}

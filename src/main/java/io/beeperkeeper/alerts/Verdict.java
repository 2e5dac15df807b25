package io.beeperkeeper.alerts;

/**
 * What a condition says at one instant: breached, clear, or unknown (no data yet, which changes
 * nothing: a rule firing before a restart stays firing until a sample says otherwise). {@code value}
 * is the figure shown to the keeper (NaN when there is none), {@code severity} may raise the rule's own
 * (heat stress: alert, danger, emergency), {@code detail} says in words what is wrong, and
 * {@code simulated} whether the figure comes from a simulated sensor.
 */
record Verdict(Status status, double value, Severity severity, String detail, boolean simulated) {
    public enum Status { BREACHED, CLEAR, UNKNOWN }

    public static Verdict unknown(String detail) {
        return new Verdict(Status.UNKNOWN, Double.NaN, null, detail, false);
    }

    public static Verdict clear(double value, String detail) {
        return new Verdict(Status.CLEAR, value, null, detail, false);
    }

    public static Verdict breached(double value, String detail) {
        return new Verdict(Status.BREACHED, value, null, detail, false);
    }

    public Verdict withSeverity(Severity s) {
        return new Verdict(status, value, s, detail, simulated);
    }

    public Verdict simulated(boolean sim) {
        return new Verdict(status, value, severity, detail, sim);
    }

    public boolean breached() {
        return status == Status.BREACHED;
    }
}

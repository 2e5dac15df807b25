package io.beeperkeeper.alerts;

/** How much an alert matters. Critical alerts are urgent: they are sent even in quiet hours. */
enum Severity {
    INFO, WARNING, CRITICAL;

    public static Severity of(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean urgent() {
        return this == CRITICAL;
    }
}

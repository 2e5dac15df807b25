package io.beeperkeeper.alerts;

/**
 * Where a rule is: {@code OK} (nothing wrong), {@code PENDING} (the condition holds but not yet for
 * the rule's duration), {@code FIRING} (the keeper is told), {@code RESOLVED} (it fired and has
 * cleared; behaves like OK for the next breach).
 */
enum AlertState {
    OK, PENDING, FIRING, RESOLVED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    boolean active() {
        return this == PENDING || this == FIRING;
    }
}

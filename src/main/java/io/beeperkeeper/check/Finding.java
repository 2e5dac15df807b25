package io.beeperkeeper.check;

/**
 * One thing {@code beeper check} looked at: what ({@code area}, {@code name}), how it stands, what was
 * seen, and the fix.
 */
public record Finding(Area area, String name, Status status, String detail, Fix fix) {
    public static Finding ok(Area area, String name, String detail) {
        return new Finding(area, name, Status.OK, detail, Fix.NONE);
    }

    public static Finding missing(Area area, String name, String detail, Fix fix) {
        return new Finding(area, name, Status.MISSING, detail, fix);
    }

    public static Finding blocker(Area area, String name, String detail, Fix fix) {
        return new Finding(area, name, Status.BLOCKER, detail, fix);
    }
}

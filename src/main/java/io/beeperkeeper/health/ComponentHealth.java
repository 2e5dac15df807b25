package io.beeperkeeper.health;

/** The state of one part of the hub (broker, sensors, a camera, the store) with a human reason. */
public record ComponentHealth(Status status, String detail) {
    public enum Status { STARTING, UP, DEGRADED, DOWN }

    public static ComponentHealth up(String detail) {
        return new ComponentHealth(Status.UP, detail);
    }

    public static ComponentHealth degraded(String detail) {
        return new ComponentHealth(Status.DEGRADED, detail);
    }

    public static ComponentHealth down(String detail) {
        return new ComponentHealth(Status.DOWN, detail);
    }

    public static ComponentHealth starting(String detail) {
        return new ComponentHealth(Status.STARTING, detail);
    }
}

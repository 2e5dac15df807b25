package io.beeperkeeper.thermal;

import java.time.Instant;

/** One change of level, with the heat that caused it. */
public record Step(ThermalLevel from, ThermalLevel to, Heat heat, Instant at) {
    public enum Direction {
        DOWN, UP;

        /** The {@code direction} label in /metrics: "down", "up". */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Direction direction() {
        return to.ordinal() > from.ordinal() ? Direction.DOWN : Direction.UP;
    }
}

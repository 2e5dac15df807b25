package io.beeperkeeper.health;

import java.util.function.Supplier;

/** One entry of {@code /api/health}: its name and where its current state is read. */
public record HealthCheck(String name, Supplier<ComponentHealth> state) {
}

package io.beeperkeeper.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Where every component says how it is; {@code GET /api/health} reads it. Components register a
 * supplier, so the answer is always current and nobody has to remember to update a flag.
 */
public final class HealthRegistry {
    private final Map<String, Supplier<ComponentHealth>> components = new ConcurrentHashMap<>();
    private final Map<String, Integer> order = new ConcurrentHashMap<>();

    public void register(String component, Supplier<ComponentHealth> health) {
        order.putIfAbsent(component, order.size());
        components.put(component, health);
    }

    public void remove(String component) {
        components.remove(component);
    }

    /** A snapshot in registration order; a supplier that throws reads as DOWN with its message. */
    public Map<String, ComponentHealth> snapshot() {
        Map<String, ComponentHealth> out = new LinkedHashMap<>();
        components.keySet().stream()
                .sorted((a, b) -> Integer.compare(order.getOrDefault(a, 0), order.getOrDefault(b, 0)))
                .forEach(name -> {
                    Supplier<ComponentHealth> s = components.get(name);
                    if (s == null) {
                        return;
                    }
                    try {
                        out.put(name, s.get());
                    } catch (RuntimeException e) {
                        out.put(name, ComponentHealth.down("health check failed: " + e.getMessage()));
                    }
                });
        return out;
    }
}

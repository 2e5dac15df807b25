package io.beeperkeeper.alerts;

import io.beeperkeeper.health.ComponentHealth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A part of the hub in a bad state, read from the health registry: a camera offline, the store
 * degraded, a remote node gone. Unknown while no such part is registered (no camera configured, or
 * the nodes feature absent), so it never fires for what does not exist.
 */
final class HealthCondition implements Condition {
    private final Supplier<Map<String, ComponentHealth>> health;
    private final Predicate<String> component;
    private final Set<ComponentHealth.Status> bad;
    private final String what;

    /**
     * @param component which health entries count ("camera." prefix, "store")
     * @param bad       the states that breach (DOWN for offline; DEGRADED and DOWN for degraded)
     * @param what      how the part is named to the keeper ("camera", "store")
     */
    public HealthCondition(Supplier<Map<String, ComponentHealth>> health, Predicate<String> component,
                           Set<ComponentHealth.Status> bad, String what) {
        this.health = health;
        this.component = component;
        this.bad = Set.copyOf(bad);
        this.what = what;
    }

    @Override
    public Verdict evaluate(Instant now, boolean active) {
        Map<String, ComponentHealth> all;
        try {
            all = health.get();
        } catch (RuntimeException e) {
            return Verdict.unknown("health not readable: " + e.getMessage());
        }
        List<String> wrong = new ArrayList<>();
        int seen = 0;
        for (Map.Entry<String, ComponentHealth> e : all.entrySet()) {
            if (!component.test(e.getKey())) {
                continue;
            }
            seen++;
            ComponentHealth h = e.getValue();
            if (h != null && bad.contains(h.status())) {
                wrong.add(e.getKey() + " " + h.status().name().toLowerCase(java.util.Locale.ROOT)
                        + (h.detail() == null || h.detail().isEmpty() ? "" : " (" + h.detail() + ")"));
            }
        }
        if (seen == 0) {
            return Verdict.unknown("no " + what + " registered");
        }
        if (!wrong.isEmpty()) {
            return Verdict.breached(wrong.size(), String.join("; ", wrong));
        }
        return Verdict.clear(0, what + " ok");
    }
}

package io.beeperkeeper.viewers;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Who is watching right now. Each page (tab) sends heartbeats with its state; a user is
 * <em>viewing</em> if any tab reported "viewing" less than a minute ago, <em>away</em> if any tab
 * was heard from less than two minutes ago, and gone after that. One user in several tabs counts
 * once with the best state. Whenever the visible list changes, the listener gets the new list (the
 * hub pushes it to every page); {@link #expire()} must be called every few seconds so silent tabs
 * age out. Time comes from the injected clock, so tests can drive it.
 */
public final class Presence {
    public static final Duration VIEWING_WINDOW = Duration.ofMinutes(1);
    public static final Duration AWAY_WINDOW = Duration.ofMinutes(2);
    /** Bounds memory against a client inventing tab ids or an open LAN inventing addresses. */
    static final int MAX_TABS_PER_USER = 16;
    static final int MAX_USERS = 1000;

    private record Tab(PresenceState reported, Instant lastHeard) {
    }

    private static final class User {
        final Instant since;
        final LinkedHashMap<String, Tab> tabs = new LinkedHashMap<>();

        User(Instant since) {
            this.since = since;
        }
    }

    private final Clock clock;
    private final Consumer<List<ActiveViewer>> onChange;
    private final Map<String, User> users = new HashMap<>();
    private List<ActiveViewer> lastPublished = List.of();

    public Presence(Clock clock, Consumer<List<ActiveViewer>> onChange) {
        this.clock = Objects.requireNonNull(clock);
        this.onChange = Objects.requireNonNull(onChange);
    }

    /** A heartbeat from one tab of a user. Returns false when the hub is full of users (the heartbeat is dropped). */
    public boolean heartbeat(String user, String tab, PresenceState state) {
        List<ActiveViewer> changed;
        synchronized (this) {
            Instant now = clock.instant();
            pruneLocked(now);
            User u = users.get(user);
            if (u == null) {
                if (users.size() >= MAX_USERS) {
                    return false;
                }
                u = new User(now);
                users.put(user, u);
            }
            u.tabs.remove(tab); // re-insert so the map keeps the most recently heard tab last
            u.tabs.put(tab, new Tab(state, now));
            while (u.tabs.size() > MAX_TABS_PER_USER) {
                u.tabs.remove(u.tabs.keySet().iterator().next());
            }
            changed = changedLocked(now);
        }
        publish(changed);
        return true;
    }

    /** A tab closed (Beacon on page hide/unload). */
    public void left(String user, String tab) {
        List<ActiveViewer> changed;
        synchronized (this) {
            User u = users.get(user);
            if (u != null) {
                u.tabs.remove(tab);
                if (u.tabs.isEmpty()) {
                    users.remove(user);
                }
            }
            changed = changedLocked(clock.instant());
        }
        publish(changed);
    }

    /** Ages out silent tabs; call every few seconds. */
    public void expire() {
        List<ActiveViewer> changed;
        synchronized (this) {
            Instant now = clock.instant();
            pruneLocked(now);
            changed = changedLocked(now);
        }
        publish(changed);
    }

    /** The current list, viewing first, then by name. */
    public synchronized List<ActiveViewer> active() {
        return snapshotLocked(clock.instant());
    }

    private void publish(List<ActiveViewer> changed) {
        if (changed != null) {
            onChange.accept(changed);
        }
    }

    private List<ActiveViewer> changedLocked(Instant now) {
        List<ActiveViewer> current = snapshotLocked(now);
        if (current.equals(lastPublished)) {
            return null;
        }
        lastPublished = current;
        return current;
    }

    private void pruneLocked(Instant now) {
        users.values().forEach(u -> u.tabs.values().removeIf(t -> stateOf(t, now) == null));
        users.values().removeIf(u -> u.tabs.isEmpty());
    }

    private List<ActiveViewer> snapshotLocked(Instant now) {
        List<ActiveViewer> out = new ArrayList<>();
        users.forEach((name, u) -> {
            PresenceState best = null;
            for (Tab t : u.tabs.values()) {
                PresenceState s = stateOf(t, now);
                if (s == PresenceState.VIEWING || (s == PresenceState.AWAY && best == null)) {
                    best = s;
                }
            }
            if (best != null) {
                out.add(new ActiveViewer(name, best, u.since));
            }
        });
        out.sort(Comparator.comparing(ActiveViewer::state).thenComparing(ActiveViewer::name));
        return List.copyOf(out);
    }

    private static PresenceState stateOf(Tab t, Instant now) {
        Duration age = Duration.between(t.lastHeard(), now);
        if (age.compareTo(AWAY_WINDOW) >= 0) {
            return null;
        }
        if (t.reported() == PresenceState.VIEWING && age.compareTo(VIEWING_WINDOW) < 0) {
            return PresenceState.VIEWING;
        }
        return PresenceState.AWAY;
    }
}

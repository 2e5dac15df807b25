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
 * age out. A tab that said goodbye ({@link #left}) stays gone: a heartbeat it sent just before
 * leaving may arrive after the goodbye, and must not put the visitor back on the list. Time comes
 * from the injected clock, so tests can drive it.
 */
public final class Presence {
    public static final Duration VIEWING_WINDOW = Duration.ofMinutes(1);
    public static final Duration AWAY_WINDOW = Duration.ofMinutes(2);
    /** Bounds memory against a client inventing tab ids or an open LAN inventing addresses. */
    static final int MAX_TABS_PER_USER = 16;
    static final int MAX_USERS = 1000;
    /** How long a departed tab's late heartbeats are ignored (longer than any request takes to arrive). */
    static final Duration LEFT_MEMORY = AWAY_WINDOW;
    /** Bounds the departed tabs remembered; beyond it the oldest goodbyes are forgotten first. */
    static final int MAX_LEFT_TABS = 4096;

    /**
     * The tab of clients that name none (scripts): they cannot tell a late heartbeat from a new
     * visit, so their goodbye is not remembered.
     */
    public static final String UNNAMED_TAB = "default";

    /** What became of a heartbeat. */
    public enum Heard {
        /** The tab counts with the reported state. */
        COUNTED,
        /** Dropped: the hub already tracks as many users as it will. */
        FULL,
        /** Dropped: this tab has left the page (a late heartbeat); a page shown again uses a new tab id. */
        TAB_LEFT
    }

    private record TabKey(String user, String tab) {
    }

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
    /** Departed tabs, oldest goodbye first. */
    private final LinkedHashMap<TabKey, Instant> leftTabs = new LinkedHashMap<>();
    private List<ActiveViewer> lastPublished = List.of();

    public Presence(Clock clock, Consumer<List<ActiveViewer>> onChange) {
        this.clock = Objects.requireNonNull(clock);
        this.onChange = Objects.requireNonNull(onChange);
    }

    /** A heartbeat from one tab of a user. */
    public Heard heartbeat(String user, String tab, PresenceState state) {
        List<ActiveViewer> changed;
        synchronized (this) {
            Instant now = clock.instant();
            pruneLocked(now);
            if (leftTabs.containsKey(new TabKey(user, tab))) {
                return Heard.TAB_LEFT;
            }
            User u = users.get(user);
            if (u == null) {
                if (users.size() >= MAX_USERS) {
                    return Heard.FULL;
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
        return Heard.COUNTED;
    }

    /** A tab closed (Beacon on page hide/unload): the user leaves the list unless another tab is open. */
    public void left(String user, String tab) {
        List<ActiveViewer> changed;
        synchronized (this) {
            Instant now = clock.instant();
            pruneLocked(now);
            if (!tab.equals(UNNAMED_TAB)) {
                TabKey key = new TabKey(user, tab);
                leftTabs.remove(key); // re-insert so the map stays in goodbye order
                leftTabs.put(key, now);
                while (leftTabs.size() > MAX_LEFT_TABS) {
                    leftTabs.remove(leftTabs.keySet().iterator().next());
                }
            }
            User u = users.get(user);
            if (u != null) {
                u.tabs.remove(tab);
                if (u.tabs.isEmpty()) {
                    users.remove(user);
                }
            }
            changed = changedLocked(now);
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
        Instant forgetBefore = now.minus(LEFT_MEMORY);
        leftTabs.values().removeIf(at -> at.isBefore(forgetBefore));
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

package io.beeperkeeper.viewers;

import io.beeperkeeper.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.beeperkeeper.viewers.PresenceState.AWAY;
import static io.beeperkeeper.viewers.PresenceState.VIEWING;
import static org.assertj.core.api.Assertions.assertThat;

class PresenceTest {
    /** A clock the test moves by hand. */
    final ManualClock clock = new ManualClock(Instant.parse("2026-05-01T10:00:00Z"));
    final List<List<ActiveViewer>> pushes = new ArrayList<>();
    final Presence presence = new Presence(clock, pushes::add);

    List<String> states() {
        return presence.active().stream().map(v -> v.name() + ":" + v.state().wireName()).toList();
    }

    @Test
    void viewingThenAwayAfterAMinuteThenGoneAfterTwo() {
        Instant start = clock.instant();
        presence.heartbeat("alice", "t1", VIEWING);
        assertThat(states()).containsExactly("alice:viewing");
        assertThat(presence.active().get(0).since()).isEqualTo(start);
        clock.advance(Duration.ofSeconds(59));
        presence.expire();
        assertThat(states()).containsExactly("alice:viewing");
        clock.advance(Duration.ofSeconds(1));
        presence.expire();
        assertThat(states()).containsExactly("alice:away");
        clock.advance(Duration.ofSeconds(59));
        presence.expire();
        assertThat(states()).containsExactly("alice:away");
        clock.advance(Duration.ofSeconds(1));
        presence.expire();
        assertThat(states()).isEmpty();
        assertThat(pushes).extracting(List::size).containsExactly(1, 1, 0);
    }

    @Test
    void hiddenPageIsAwayAtOnceAndVisibleAgainIsViewing() {
        presence.heartbeat("alice", "t1", VIEWING);
        clock.advance(Duration.ofSeconds(5));
        presence.heartbeat("alice", "t1", AWAY);
        assertThat(states()).containsExactly("alice:away");
        presence.heartbeat("alice", "t1", VIEWING);
        assertThat(states()).containsExactly("alice:viewing");
        assertThat(pushes).hasSize(3);
    }

    @Test
    void severalTabsCountOnceWithTheBestState() {
        presence.heartbeat("alice", "t1", AWAY);
        presence.heartbeat("alice", "t2", VIEWING);
        presence.heartbeat("bob", "t3", AWAY);
        assertThat(states()).containsExactly("alice:viewing", "bob:away");
        presence.left("alice", "t2");
        assertThat(states()).containsExactly("alice:away", "bob:away");
        presence.left("alice", "t1");
        assertThat(states()).containsExactly("bob:away");
    }

    @Test
    void aFreshTabKeepsAUserViewingWhileAnOldOneFades() {
        presence.heartbeat("alice", "t1", VIEWING);
        clock.advance(Duration.ofSeconds(50));
        presence.heartbeat("alice", "t2", VIEWING);
        clock.advance(Duration.ofSeconds(50));
        presence.expire();
        assertThat(states()).containsExactly("alice:viewing");
        clock.advance(Duration.ofSeconds(40));
        presence.expire();
        assertThat(states()).containsExactly("alice:away");
    }

    @Test
    void unchangedHeartbeatsPushNothing() {
        presence.heartbeat("alice", "t1", VIEWING);
        clock.advance(Duration.ofSeconds(30));
        presence.heartbeat("alice", "t1", VIEWING);
        presence.expire();
        assertThat(pushes).hasSize(1);
    }

    @Test
    void tabsPerUserAndUsersAreBounded() {
        for (int i = 0; i < 100; i++) {
            presence.heartbeat("alice", "tab" + i, AWAY);
        }
        presence.heartbeat("alice", "tab-last", VIEWING);
        assertThat(states()).containsExactly("alice:viewing");
        for (int i = 0; i < Presence.MAX_USERS + 10; i++) {
            presence.heartbeat("u" + i, "t", AWAY);
        }
        assertThat(presence.active()).hasSize(Presence.MAX_USERS);
    }

    @Test
    void aLateHeartbeatFromATabThatLeftDoesNotBringItBack() {
        presence.heartbeat("alice", "t1", VIEWING);
        presence.left("alice", "t1");
        assertThat(states()).isEmpty();
        // the "away" heartbeat the leaving page sent just before (or as) it left arrives after the goodbye
        assertThat(presence.heartbeat("alice", "t1", AWAY)).isEqualTo(Presence.Heard.TAB_LEFT);
        clock.advance(Duration.ofSeconds(30));
        assertThat(presence.heartbeat("alice", "t1", VIEWING)).isEqualTo(Presence.Heard.TAB_LEFT);
        assertThat(states()).isEmpty();
        assertThat(pushes).extracting(List::size).containsExactly(1, 0);
        // the same visitor in another tab (or the page shown again, with a new tab id) counts
        assertThat(presence.heartbeat("alice", "t2", VIEWING)).isEqualTo(Presence.Heard.COUNTED);
        assertThat(states()).containsExactly("alice:viewing");
        // another user's tab of the same id is not affected
        assertThat(presence.heartbeat("bob", "t1", VIEWING)).isEqualTo(Presence.Heard.COUNTED);
    }

    @Test
    void departedTabsAreForgottenAfterTheAwayWindowAndBounded() {
        presence.left("alice", "t1");
        clock.advance(Presence.LEFT_MEMORY.plusSeconds(1));
        assertThat(presence.heartbeat("alice", "t1", VIEWING)).isEqualTo(Presence.Heard.COUNTED);
        for (int i = 0; i < Presence.MAX_LEFT_TABS + 10; i++) {
            presence.left("mallory", "tab" + i);
        }
        assertThat(presence.heartbeat("mallory", "tab0", VIEWING)).as("oldest goodbye forgotten first").isEqualTo(Presence.Heard.COUNTED);
        assertThat(presence.heartbeat("mallory", "tab" + (Presence.MAX_LEFT_TABS + 9), VIEWING)).isEqualTo(Presence.Heard.TAB_LEFT);
    }

    @Test
    void theUnnamedTabOfScriptsMayComeBackAtOnce() {
        presence.heartbeat("script", Presence.UNNAMED_TAB, VIEWING);
        presence.left("script", Presence.UNNAMED_TAB);
        assertThat(presence.heartbeat("script", Presence.UNNAMED_TAB, VIEWING)).isEqualTo(Presence.Heard.COUNTED);
    }

    @Test
    void heartbeatsBeyondTheUserLimitAreRefused() {
        for (int i = 0; i < Presence.MAX_USERS; i++) {
            presence.heartbeat("u" + i, "t", AWAY);
        }
        assertThat(presence.heartbeat("one-more", "t", VIEWING)).isEqualTo(Presence.Heard.FULL);
    }
}

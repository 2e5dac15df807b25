package io.beeperkeeper.viewers;

import java.time.Instant;

/** One line of "Who's viewing": the user, their best state over all their tabs, and since when they are here. */
public record ActiveViewer(String name, PresenceState state, Instant since) {
}

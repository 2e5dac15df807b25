package io.beeperkeeper.viewers;

/** Either the verified identity of a request or the reason it has none (which the user may read). */
public sealed interface IdentityResult {
    record Identified(ViewerIdentity identity) implements IdentityResult {
    }

    record Refused(String reason) implements IdentityResult {
    }
}

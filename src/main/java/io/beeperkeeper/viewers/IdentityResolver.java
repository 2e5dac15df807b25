package io.beeperkeeper.viewers;

/**
 * Establishes who sent a request. Implementations never fall back to a made-up identity: a request
 * they cannot vouch for is {@link IdentityResult.Refused}.
 */
public interface IdentityResolver {
    IdentityResult resolve(IncomingRequest request);
}

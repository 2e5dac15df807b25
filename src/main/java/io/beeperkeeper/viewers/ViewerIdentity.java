package io.beeperkeeper.viewers;

/**
 * Who a request comes from, once established: the name shown in "Who's viewing" and on chat
 * messages, and how we know it.
 */
public record ViewerIdentity(String name, Source source) {
    public enum Source {
        /** {@code local-<client IP>}: no login, the address is the name. */
        LOCAL,
        /** A Cloudflare Access user, named by the local part of their e-mail address. */
        ACCESS_USER,
        /** A Cloudflare Access service token, named by its common name. */
        SERVICE_TOKEN,
        /** A user name set by a trusted reverse proxy. */
        PROXY_USER
    }

    public ViewerIdentity {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a viewer needs a name");
        }
    }
}

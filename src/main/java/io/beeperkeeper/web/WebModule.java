package io.beeperkeeper.web;

import io.javalin.Javalin;

/**
 * A feature's HTTP surface (routes, WebSockets). Each feature package's web adapter implements this
 * and {@code App} hands the list to {@link WebServer}, so features never edit each other's routes.
 */
@FunctionalInterface
public interface WebModule {
    void register(Javalin app);

    /**
     * The request guards with this module's exceptions added (a path that takes another content type
     * or a larger body); most modules keep the defaults.
     */
    default RequestGuards guards(RequestGuards guards) {
        return guards;
    }
}

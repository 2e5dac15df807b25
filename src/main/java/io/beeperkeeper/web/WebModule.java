package io.beeperkeeper.web;

import io.javalin.config.RoutesConfig;

/**
 * A feature's HTTP surface (routes, WebSockets). Each feature package's web adapter implements this
 * and {@code App} hands the list to {@link WebServer}, so features never edit each other's routes.
 * Javalin takes every route before the server starts: {@link WebServer} calls {@link #register} while
 * it builds its config, with the config's routes (the same {@code get}, {@code post}, {@code ws},
 * {@code sse}, {@code before} and {@code exception} as on a Javalin app).
 */
@FunctionalInterface
public interface WebModule {
    void register(RoutesConfig app);

    /**
     * The request guards with this module's exceptions added (a path that takes another content type
     * or a larger body); most modules keep the defaults.
     */
    default RequestGuards guards(RequestGuards guards) {
        return guards;
    }
}

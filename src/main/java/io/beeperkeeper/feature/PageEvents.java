package io.beeperkeeper.feature;

/**
 * Pushes a named event with a JSON-able payload to every open page (the SSE stream
 * {@code /api/events}). Features get this interface, never the web server behind it.
 */
@FunctionalInterface
public interface PageEvents {
    /** For features built without a page (tools, tests). */
    PageEvents NONE = (event, payload) -> { };

    void publish(String event, Object payload);
}

package io.beeperkeeper.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.Ports;
import io.beeperkeeper.StartupException;
import io.beeperkeeper.config.WebConfig;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpResponseException;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * The hub's HTTP server (Javalin): the page from the classpath folder {@code /web} ({@link StaticPage}), the SSE stream
 * and every feature's {@link WebModule}. Unknown API paths and unexpected failures answer JSON with a
 * reason, never a stack trace.
 */
public final class WebServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebServer.class);
    /**
     * Jetty's threads, sized for a Raspberry Pi: waiting requests (LL-HLS, SSE, WebSockets) hold no
     * thread, so a few dozen serve a household; a burst beyond that waits in the queue instead of
     * costing a thread stack each.
     */
    static final int MAX_THREADS = 48;
    static final int MIN_THREADS = 4;
    /** Idle threads go after this long, all of them at once (Jetty's default lets one go per period). */
    static final int THREAD_IDLE_MS = 5_000;
    static final String EVENTS_PATH = "/api/events";

    private final String host;
    private final int port;
    private final ObjectMapper json;
    private final LiveEvents events;
    private final List<WebModule> modules;
    private final RequestGuards guards;
    private volatile Javalin app;
    private QueuedThreadPool threads;

    /** @param config where to listen and the host names to answer to besides the machine's own */
    public WebServer(WebConfig config, ObjectMapper json, LiveEvents events, List<WebModule> modules) {
        RequestGuards g = RequestGuards.defaults().allowHosts(config.allowedHosts());
        for (WebModule m : modules) {
            g = m.guards(g);
        }
        this.guards = g;
        this.host = config.host();
        this.port = config.port();
        this.json = json;
        this.events = events;
        this.modules = List.copyOf(modules);
    }

    public void start() {
        Ports.requireFree(host, port, "web", "--port, web.port in beeper.yaml or BEEPER_WEB_PORT");
        QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, MIN_THREADS, THREAD_IDLE_MS);
        pool.setName("web");
        pool.setMaxEvictCount(MAX_THREADS);
        threads = pool;
        events.start();
        Javalin a = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.threadPool = pool;
            config.concurrency.useVirtualThreads = false;
            config.jsonMapper(new JavalinJackson(json, false));
            config.http.maxRequestSize = 1_000_000L;
            // The hub's WebSockets carry compressed video: permessage-deflate (every browser offers it)
            // would deflate each fragment again for every viewer, gaining nothing and costing a
            // deflater's memory per socket.
            config.jetty.modifyWebSocketServletFactory(f -> f.getAvailableExtensionNames().remove("permessage-deflate"));
            routes(config.routes);
        });
        try {
            a.start(host, port);
        } catch (RuntimeException e) {
            throw new StartupException("the web server could not listen on " + host + ":" + port + ": " + e.getMessage()
                    + ". Choose another port with --port, web.port or BEEPER_WEB_PORT.", e);
        }
        app = a;
        log.info("web page at http://{}:{}/", "0.0.0.0".equals(host) ? "localhost" : host, port());
    }

    /** Every route, in order: headers and guards first, then the live events and each feature's module. */
    private void routes(RoutesConfig routes) {
        SecurityHeaders.install(routes);
        guards.install(routes);
        routes.sse(EVENTS_PATH, events::accept);
        for (WebModule m : modules) {
            m.register(routes);
        }
        // last: the page's files answer only the paths no route took
        StaticPage.page().register(routes);
        // Javalin's own refusals (a body over the size limit, a bad request, no such route) in the hub's one style
        routes.exception(HttpResponseException.class, (e, ctx) -> answered(ctx, () -> Answers.error(ctx, e.getStatus(),
                e.getStatus() != 404 ? e.getMessage() : ctx.path().startsWith("/api/")
                        ? "no such API endpoint: " + ctx.method() + " " + ctx.path() : "no such page: " + ctx.path())));
        routes.exception(Exception.class, (e, ctx) -> answered(ctx, () -> {
            log.warn("{} {} failed: {}", ctx.method(), ctx.path(), e.toString());
            Answers.error(ctx, 500, "internal error: " + e.getClass().getSimpleName());
        }));
    }

    /**
     * Runs an error answer unless the request is already over: an asynchronous answer (a held LL-HLS
     * reload, a closed SSE stream) that completes after Jetty recycled its request has no one to answer,
     * and an error handler that threw would only be handed its own error again.
     */
    private static void answered(Context ctx, Runnable answer) {
        try {
            answer.run();
        } catch (RuntimeException gone) {
            log.debug("no answer for a request that already ended: {}", gone.toString());
        }
    }

    /** Jetty's threads now (busy and idle). */
    public int threadCount() {
        QueuedThreadPool t = threads;
        return t == null ? 0 : t.getThreads();
    }

    /** The bound port (useful when 0 asked for any free one). */
    public int port() {
        return app == null ? port : app.port();
    }

    @Override
    public void close() {
        // the pages' live-event streams end while their requests are still Jetty's to complete
        events.close();
        if (app != null) {
            app.stop();
            app = null;
        }
    }
}

package io.beeperkeeper.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.Ports;
import io.beeperkeeper.StartupException;
import io.beeperkeeper.config.WebConfig;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * The hub's HTTP server (Javalin): the page from the classpath folder {@code /web}, the SSE stream
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

    private final String host;
    private final int port;
    private final ObjectMapper json;
    private final LiveEvents events;
    private final List<WebModule> modules;
    private final RequestGuards guards;
    private Javalin app;
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
        Javalin a = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jetty.threadPool = pool;
            config.useVirtualThreads = false;
            config.jsonMapper(new JavalinJackson(json, false));
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/web";
                files.location = Location.CLASSPATH;
            });
            config.http.maxRequestSize = 1_000_000L;
            // The hub's WebSockets carry compressed video: permessage-deflate (every browser offers it)
            // would deflate each fragment again for every viewer, gaining nothing and costing a
            // deflater's memory per socket.
            config.jetty.modifyWebSocketServletFactory(f -> f.getAvailableExtensionNames().remove("permessage-deflate"));
        });
        events.start();
        SecurityHeaders.install(a);
        guards.install(a);
        a.sse("/api/events", events::accept);
        for (WebModule m : modules) {
            m.register(a);
        }
        a.error(HttpStatus.NOT_FOUND, "/api/*", ctx -> {
            if (ctx.result() == null) {
                Answers.error(ctx, 404, "no such API endpoint: " + ctx.method() + " " + ctx.path());
            }
        });
        // Javalin's own refusals (a body over the size limit, a bad request) in the hub's one style
        a.exception(HttpResponseException.class, (e, ctx) -> Answers.error(ctx, e.getStatus(),
                e.getStatus() != 404 ? e.getMessage() : ctx.path().startsWith("/api/")
                        ? "no such API endpoint: " + ctx.method() + " " + ctx.path() : "no such page: " + ctx.path()));
        a.exception(Exception.class, (e, ctx) -> {
            log.warn("{} {} failed: {}", ctx.method(), ctx.path(), e.toString());
            Answers.error(ctx, 500, "internal error: " + e.getClass().getSimpleName());
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
        if (app != null) {
            app.stop();
            app = null;
        }
    }
}

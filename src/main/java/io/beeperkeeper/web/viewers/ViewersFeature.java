package io.beeperkeeper.web.viewers;

import io.beeperkeeper.chat.ChatRateLimiter;
import io.beeperkeeper.chat.ChatService;
import io.beeperkeeper.chat.ChatStore;
import io.beeperkeeper.config.BeeperConfig;
import io.beeperkeeper.config.ViewersConfig;
import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.health.HealthRegistry;
import io.beeperkeeper.viewers.IdentityResolver;
import io.beeperkeeper.viewers.IdentityResolvers;
import io.beeperkeeper.viewers.Presence;
import io.beeperkeeper.web.RequestGuards;
import io.beeperkeeper.web.WebModule;
import io.beeperkeeper.web.chat.ChatWebModule;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Wires "Who's viewing" and chat from the config: identity resolver and gate, presence (with its
 * expiry timer), chat store and service, their web modules, and the pushes ({@code presence},
 * {@code chat}) onto the page's live event stream. App creates one and closes it at shutdown.
 */
public final class ViewersFeature implements AutoCloseable {
    public static final Duration EXPIRY_PERIOD = Duration.ofSeconds(5);

    private final ChatStore store;
    private final ScheduledExecutorService timer;
    private final List<WebModule> modules = new ArrayList<>();

    /**
     * @param publish pushes a named event with a JSON-able payload to every open page (LiveEvents::publish)
     */
    public ViewersFeature(BeeperConfig config, BiConsumer<String, Object> publish, HealthRegistry health, Clock clock) {
        ViewersConfig vc = config.viewers();
        IdentityResolver resolver = IdentityResolvers.fromConfig(vc, clock);
        IdentityGate gate = new IdentityGate(resolver, howToGetIn(vc));
        Presence presence = new Presence(clock, list -> publish.accept("presence", ViewersWebModule.activeUsers(list)));
        store = new ChatStore(Path.of(config.data().dir()).resolve("beeper.db"), config.chat().historyLimit());
        ChatService chat = new ChatService(store,
                new ChatRateLimiter(clock, config.chat().rateLimitMessages(), Duration.ofSeconds(config.chat().rateLimitSeconds())),
                clock, m -> publish.accept("chat", m));

        if (!"local".equals(vc.identity())) {
            modules.add(gate::guardEverything);
        }
        modules.add(new ViewersWebModule(presence, gate));
        modules.add(new ChatWebModule(chat, gate));

        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "presence-expiry");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(presence::expire, EXPIRY_PERIOD.toMillis(), EXPIRY_PERIOD.toMillis(), TimeUnit.MILLISECONDS);

        health.register("viewers", () -> ComponentHealth.up("identity " + vc.identity() + ", " + presence.active().size()
                + " present, " + gate.refusedCount() + " requests refused without identity"));
        health.register("chat", () -> ComponentHealth.up(store.count() + " messages stored"));
    }

    /** Routes (and, in the verifying identity modes, the gate that guards the whole hub). */
    public List<WebModule> webModules() {
        return List.copyOf(modules);
    }

    /**
     * The hub's request guards with this feature's exception: the Beacon API posts user_left as
     * text/plain.
     */
    public static RequestGuards requestGuards() {
        return RequestGuards.defaults().allow(ViewersWebModule.USER_LEFT_PATH, RequestGuards.DEFAULT_MAX_BYTES, "text/plain")
                // WHEP offers (application/sdp) from browsers and other WHEP clients; Chromium's are 5-10 KiB
                .allow("/api/cameras/", 64 * 1024, "application/sdp");
    }

    private static String howToGetIn(ViewersConfig vc) {
        return switch (vc.identity()) {
            case "cloudflare-access" -> "Open it through its Cloudflare Access address and sign in with team "
                    + vc.cloudflare().teamUrl() + ".";
            case "trusted-proxy" -> "Open it through the reverse proxy that signs visitors in.";
            default -> "";
        };
    }

    @Override
    public void close() {
        timer.shutdownNow();
        store.close();
    }
}

package io.beeperkeeper.viewers;

import io.beeperkeeper.config.ViewersConfig;
import io.beeperkeeper.feature.Feature;
import io.beeperkeeper.feature.PageEvents;
import io.beeperkeeper.feature.Threads;
import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.health.HealthCheck;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * "Who's viewing": who a visitor is ({@link #identify}, by {@code viewers.identity}) and who is present,
 * with the expiry timer that turns silent tabs away and the {@code presence} push to open pages.
 * Its routes are in {@code web/viewers}.
 */
public final class ViewersFeature implements Feature {
    public static final Duration EXPIRY_PERIOD = Duration.ofSeconds(5);

    private final ViewersConfig config;
    private final IdentityResolver resolver;
    private final Presence presence;
    private final AtomicLong refused = new AtomicLong();
    private volatile ScheduledExecutorService timer;

    public ViewersFeature(ViewersConfig config, Clock clock, PageEvents events) {
        this.config = config;
        this.resolver = IdentityResolvers.fromConfig(config, clock);
        this.presence = new Presence(clock, list -> events.publish("presence", activeUsers(list)));
    }

    @Override
    public String name() {
        return "viewers";
    }

    @Override
    public void start() {
        ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(Threads.daemon("presence-expiry"));
        t.scheduleAtFixedRate(presence::expire, EXPIRY_PERIOD.toMillis(), EXPIRY_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        timer = t;
    }

    /** Who sent this request, or why nobody vouches for it (counted for health). */
    public IdentityResult identify(IncomingRequest request) {
        IdentityResult r = resolver.resolve(request);
        if (r instanceof IdentityResult.Refused) {
            refused.incrementAndGet();
        }
        return r;
    }

    /** True in the modes that verify every visitor (every request needs an identity). */
    public boolean guardsEverything() {
        return config.identity() != ViewersConfig.Identity.LOCAL;
    }

    /** One sentence for a refused visitor on how to get in. */
    public String howToGetIn() {
        return switch (config.identity()) {
            case CLOUDFLARE_ACCESS -> "Open it through its Cloudflare Access address and sign in with team "
                    + config.cloudflare().teamUrl() + (config.localNetworks().isEmpty()
                    ? ". To let your home network watch without signing in, list it in viewers.localNetworks (such as 192.168.1.0/24)."
                    : ", or open it directly from your home network (" + config.localNetworks() + ").");
            case TRUSTED_PROXY -> "Open it through the reverse proxy that signs visitors in.";
            case LOCAL -> "";
        };
    }

    public Presence presence() {
        return presence;
    }

    /** The JSON shape of the list of present viewers, answered and pushed as the {@code presence} event. */
    public static Map<String, Object> activeUsers(List<ActiveViewer> viewers) {
        return Map.of("users", viewers.stream()
                .map(v -> Map.of("name", v.name(), "state", v.state().wireName(), "since", v.since().getEpochSecond()))
                .toList());
    }

    @Override
    public List<HealthCheck> health() {
        return List.of(new HealthCheck("viewers", () -> ComponentHealth.up("identity " + config.identity() + ", "
                + presence.active().size() + " present, " + refused.get() + " requests refused without identity")));
    }

    @Override
    public void close() {
        ScheduledExecutorService t = timer;
        if (t != null) {
            t.shutdownNow();
        }
    }
}

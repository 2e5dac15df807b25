package io.beeperkeeper.chat;

import io.beeperkeeper.config.ChatConfig;
import io.beeperkeeper.feature.Feature;
import io.beeperkeeper.feature.PageEvents;
import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.health.HealthCheck;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The viewers' chat: messages kept in the hub's database file (the last ones across restarts), the
 * per-viewer rate limit, and the {@code chat} push to open pages. Its routes are in {@code web/chat}.
 */
public final class ChatFeature implements Feature {
    private final ChatConfig config;
    private final Path databaseFile;
    private final Clock clock;
    private final PageEvents events;
    private volatile ChatStore store;
    private volatile ChatService service;

    /** @param databaseFile the hub's SQLite file (shared with history) */
    public ChatFeature(ChatConfig config, Path databaseFile, Clock clock, PageEvents events) {
        this.config = config;
        this.databaseFile = databaseFile;
        this.clock = clock;
        this.events = events;
    }

    @Override
    public String name() {
        return "chat";
    }

    @Override
    public void start() {
        ChatStore s = new ChatStore(databaseFile, config.historyLimit());
        store = s;
        service = new ChatService(s,
                new ChatRateLimiter(clock, config.rateLimitMessages(), Duration.ofSeconds(config.rateLimitSeconds())),
                clock, m -> events.publish("chat", m));
    }

    /** Sending and reading messages (after {@link #start()}). */
    public ChatService service() {
        if (service == null) {
            throw new IllegalStateException("chat is not started");
        }
        return service;
    }

    @Override
    public List<HealthCheck> health() {
        return List.of(new HealthCheck("chat", this::state));
    }

    private ComponentHealth state() {
        ChatStore s = store;
        ChatService c = service;
        if (s == null || c == null) {
            return ComponentHealth.down("not started");
        }
        var problem = c.storeProblem();
        if (problem.isPresent()) {
            return ComponentHealth.degraded(problem.get() + "; new messages are refused until the database can be "
                    + "written again (free space on the data folder's disk)");
        }
        try {
            return ComponentHealth.up(s.count() + " messages stored");
        } catch (ChatStoreException e) {
            return ComponentHealth.degraded(e.getMessage());
        }
    }

    @Override
    public void close() {
        ChatStore s = store;
        if (s != null) {
            s.close();
        }
    }
}

package io.beeperkeeper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.feature.Feature;
import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.health.HealthCheck;
import io.beeperkeeper.web.WebModule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The page comes before the hub's slow parts: with a feature that blocks in start() until the test lets
 * it go, the page, /api/health (showing that part as starting), /api/events and /metrics answer, the
 * rest of the API answers 503 "the hub is starting", and once the part is up every route works.
 */
class HubStartupTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final CountDownLatch release = new CountDownLatch(1);
    @TempDir
    Path data;
    private App hub;

    @AfterEach
    void stop() {
        release.countDown();
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void pageAndHealthAnswerWhileAPartIsStillStartingAndTheRestOfTheApiWaits() throws Exception {
        hub = TestHub.build(data, Map.of()).with(new SlowPart(release, null), slowRoutes());
        CompletableFuture<App> started = CompletableFuture.supplyAsync(hub::start);
        int port = awaitPort(started);

        HttpResponse<String> page = get(port, "/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<html");
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(component(port, "slow").path("status").asText()).isEqualTo("starting"));
        assertThat(component(port, "slow").path("detail").asText()).isEqualTo("the hub is starting slow");
        assertThat(get(port, "/metrics").statusCode()).isEqualTo(200);
        assertThat(get(port, "/api/metrics/latest").statusCode()).isEqualTo(200);
        assertThat(eventsStatus(port)).isEqualTo(200);

        for (String path : List.of("/api/slow", "/api/cameras")) {
            HttpResponse<String> waiting = get(port, path);
            assertThat(waiting.statusCode()).as(path).isEqualTo(503);
            assertThat(JSON.readTree(waiting.body()).path("error").asText()).isEqualTo("the hub is starting");
            assertThat(waiting.headers().firstValue("X-Beeper-Starting")).isPresent();
            assertThat(waiting.headers().firstValue("Retry-After")).hasValue("1");
        }
        assertThatThrownBy(() -> http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/cameras/csi/ws"),
                new WebSocket.Listener() { }).get(60, TimeUnit.SECONDS))
                .hasCauseInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode()).isEqualTo(503));
        assertThat(started).isNotDone();

        release.countDown();
        assertThat(started.get(60, TimeUnit.SECONDS)).isSameAs(hub);
        assertThat(component(port, "slow").path("status").asText()).isEqualTo("up");
        HttpResponse<String> slow = get(port, "/api/slow");
        assertThat(slow.statusCode()).isEqualTo(200);
        assertThat(slow.body()).isEqualTo("slow part up");
        HttpResponse<String> cameras = get(port, "/api/cameras");
        assertThat(cameras.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(cameras.body()).isArray()).isTrue();
    }

    @Test
    void aPartThatCannotStartTakesThePageDownWithItAndSaysWhy() throws Exception {
        hub = TestHub.build(data, Map.of()).with(new SlowPart(release, "the slow part's folder cannot be written"), slowRoutes());
        CompletableFuture<App> started = CompletableFuture.supplyAsync(hub::start);
        int port = awaitPort(started);
        assertThat(get(port, "/api/health").statusCode()).isEqualTo(200);

        release.countDown();
        assertThatThrownBy(() -> started.get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasRootCauseInstanceOf(StartupException.class)
                .hasRootCauseMessage("the slow part's folder cannot be written");
        assertThatThrownBy(() -> get(port, "/")).isInstanceOf(java.io.IOException.class);
    }

    private static WebModule slowRoutes() {
        return app -> app.get("/api/slow", ctx -> ctx.result("slow part up"));
    }

    private int awaitPort(CompletableFuture<App> started) {
        await().atMost(DEADLINE).until(() -> hub.webPort() != 0 || started.isDone());
        assertThat(started).as("start() returns only once every part is up").isNotDone();
        return hub.webPort();
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode component(int port, String name) throws Exception {
        HttpResponse<String> health = get(port, "/api/health");
        assertThat(health.statusCode()).isEqualTo(200);
        return JSON.readTree(health.body()).path("components").path(name);
    }

    /** The status of the live-event stream, which stays open: only its headers are read. */
    private int eventsStatus(int port) throws Exception {
        HttpResponse<java.io.InputStream> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/events"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
        r.body().close();
        return r.statusCode();
    }

    /** A part that takes as long to start as the test wants, and then starts or fails with {@code failure}. */
    private record SlowPart(CountDownLatch release, String failure) implements Feature {
        @Override
        public String name() {
            return "slow";
        }

        @Override
        public void start() {
            try {
                if (!release.await(120, TimeUnit.SECONDS)) {
                    throw new StartupException("the test never let the slow part start");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StartupException("interrupted while starting the slow part");
            }
            if (failure != null) {
                throw new StartupException(failure);
            }
        }

        @Override
        public List<HealthCheck> health() {
            return List.of(new HealthCheck("slow", () -> ComponentHealth.up("the slow part is up")));
        }

        @Override
        public void close() {
        }
    }
}

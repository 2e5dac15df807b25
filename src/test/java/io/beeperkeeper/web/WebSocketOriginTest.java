package io.beeperkeeper.web;

import io.beeperkeeper.App;
import io.beeperkeeper.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Cross-site WebSocket hijacking: a page of another site cannot open a camera's video socket. */
class WebSocketOriginTest {
    @TempDir
    static Path dir;
    static App hub;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        hub = TestHub.start(dir, Map.of());
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    URI ws() {
        return URI.create("ws://127.0.0.1:" + hub.webPort() + "/api/cameras/csi/ws");
    }

    @Test
    void aForeignOriginIsRefusedWith403() {
        Throwable refused = catchThrowable(() -> http.newWebSocketBuilder().header("Origin", "http://evil.example")
                .buildAsync(ws(), new WebSocket.Listener() { }).join());
        assertThat(refused).isInstanceOf(CompletionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);
        WebSocketHandshakeException e = (WebSocketHandshakeException) refused.getCause();
        assertThat(e.getResponse().statusCode()).isEqualTo(403);

        Throwable nullOrigin = catchThrowable(() -> http.newWebSocketBuilder().header("Origin", "null")
                .buildAsync(ws(), new WebSocket.Listener() { }).join());
        assertThat(nullOrigin).hasCauseInstanceOf(WebSocketHandshakeException.class);
    }

    @Test
    void theHubsOwnPageAndClientsWithoutOriginAreLetIn() throws Exception {
        WebSocket own = http.newWebSocketBuilder().header("Origin", "http://127.0.0.1:" + hub.webPort())
                .buildAsync(ws(), new WebSocket.Listener() { }).get(30, TimeUnit.SECONDS);
        own.abort();
        WebSocket script = http.newWebSocketBuilder().buildAsync(ws(), new WebSocket.Listener() { }).get(30, TimeUnit.SECONDS);
        script.abort();
    }
}

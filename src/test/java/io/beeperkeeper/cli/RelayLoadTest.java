package io.beeperkeeper.cli;

import io.beeperkeeper.config.MediaConfig;
import io.beeperkeeper.web.media.MediaServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The load client of {@code beeper bench relay} tells a socket the hub dropped from an upgrade the hub
 * refused over {@code media.maxConnectsPerSecond} (retried, never a lost viewer), and says why a socket ended.
 */
class RelayLoadTest {
    /** Two new connections a second from one address: opening six viewers meets refusals. */
    static final MediaConfig MEDIA = new MediaConfig("ffmpeg", 5, 20, 30, true, 30, 2, 50, 2);

    @Test
    void refusedUpgradesAreRetriedNotLostAndTheHubsClosesAreCountedWithTheirReason() throws Exception {
        MediaServer server = new MediaServer(MEDIA, Map.of("cam", MediaServer.camera(320, 240, 300, "none")));
        RelayLoad load = new RelayLoad("ws://127.0.0.1:" + server.app.port(), List.of("cam"), false);
        boolean serverClosed = false;
        try {
            HttpClient http = HttpClient.newHttpClient();
            await("camera live").atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> http.send(
                    HttpRequest.newBuilder(URI.create(server.http() + "/api/cameras")).build(),
                    HttpResponse.BodyHandlers.ofString()).body().contains("\"state\":\"live\""));

            assertThat(load.viewers(6)).isEqualTo(6);
            RelayBench.LoadStats opened = RelayBench.LoadStats.parse(load.stats());
            assertThat(opened.open()).isEqualTo(6);
            assertThat(opened.refusedAttempts()).as("upgrades refused at 2 a second").isPositive();
            assertThat(opened.hubDropped()).as("sockets the hub dropped").isZero();
            assertThat(opened.clientFailed()).isZero();
            assertThat(opened.note()).doesNotContain("dropped by the hub").contains("refused over media.maxConnectsPerSecond");

            server.close(); // the hub goes away: every open socket is one it ended
            serverClosed = true;
            await("the hub's closes counted").atMost(Duration.ofSeconds(60))
                    .until(() -> RelayBench.LoadStats.parse(load.stats()).hubDropped() == 6);
            RelayBench.LoadStats ended = RelayBench.LoadStats.parse(load.stats());
            assertThat(ended.open()).isZero();
            assertThat(ended.clientFailed()).isZero();
            assertThat(ended.reasons()).startsWith("6 x hub ");
            assertThat(ended.note()).contains("6 dropped by the hub");
        } finally {
            load.close();
            if (!serverClosed) {
                server.close();
            }
        }
    }
}

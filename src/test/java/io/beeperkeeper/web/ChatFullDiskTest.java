package io.beeperkeeper.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.FullDisk;
import io.beeperkeeper.chat.ChatFeature;
import io.beeperkeeper.config.ChatConfig;
import io.beeperkeeper.feature.PageEvents;
import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.health.HealthRegistry;
import io.beeperkeeper.viewers.ClientAddresses;
import io.beeperkeeper.viewers.IdentityResolvers;
import io.beeperkeeper.web.chat.ChatWebModule;
import io.beeperkeeper.web.viewers.IdentityGate;
import io.javalin.Javalin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Chat on a real full disk (a 4 MiB tmpfs filled to the last byte): a message that cannot be stored
 * gets a clear 503 with Retry-After (never a 500), health shows chat DEGRADED with the fix, and both
 * recover once space returns.
 */
class ChatFullDiskTest {
    @TempDir
    Path dir;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aFullDiskGets503AndDegradedHealthUntilSpaceReturns() throws Exception {
        try (FullDisk disk = FullDisk.mount(dir.resolve("disk"), 4L << 20);
             ChatFeature chat = new ChatFeature(new ChatConfig(1000, 1, 1000), disk.path().resolve("beeper.db"),
                     Clock.systemUTC(), PageEvents.NONE)) {
            HealthRegistry health = new HealthRegistry();
            chat.health().forEach(h -> health.register(h.name(), h.state()));
            chat.start();
            IdentityGate gate = new IdentityGate(IdentityResolvers.local(ClientAddresses.parse("")), "open the hub's page");
            Javalin app = Javalin.create(c -> {
                new ChatWebModule(chat.service(), gate).register(c.routes);
            }).start("127.0.0.1", 0);
            try {
                String base = "http://127.0.0.1:" + app.port();
                AtomicInteger n = new AtomicInteger();
                assertThat(send(base, "before " + n.incrementAndGet()).statusCode()).isEqualTo(201);
                assertThat(health.snapshot().get("chat").status()).isEqualTo(ComponentHealth.Status.UP);

                disk.fill();
                // the first messages may still fit in the file's last page; then the disk refuses
                HttpResponse<String>[] last = new HttpResponse[1];
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
                    last[0] = send(base, "while full " + n.incrementAndGet());
                    assertThat(last[0].statusCode()).as(last[0].body()).isIn(201, 503);
                    return last[0].statusCode() == 503;
                });
                assertThat(last[0].headers().firstValue("Retry-After")).contains("30");
                assertThat(new ObjectMapper().readTree(last[0].body()).get("error").asText()).contains("disk full");
                ComponentHealth h = health.snapshot().get("chat");
                assertThat(h.status()).isEqualTo(ComponentHealth.Status.DEGRADED);
                assertThat(h.detail()).contains("SQLITE_FULL").contains("free space");

                disk.free();
                HttpResponse<String> again = send(base, "space is back");
                assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
                assertThat(health.snapshot().get("chat").status()).isEqualTo(ComponentHealth.Status.UP);
            } finally {
                app.stop();
            }
        }
    }

    HttpResponse<String> send(String base, String text) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/api/chat/send"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"" + text + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
    }
}

package io.beeperkeeper.alerts;

import io.beeperkeeper.cli.BenchSmtpServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.beeperkeeper.config.AlertsConfig;
import io.beeperkeeper.feature.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Each channel against a real server on 127.0.0.1: an HTTP receiver, ntfy's API, an SMTP server with STARTTLS. */
class ChannelsTest {
    record Hit(String path, String body, com.sun.net.httpserver.Headers headers) {
    }

    @TempDir
    Path dir;

    private HttpServer http;
    private final BlockingQueue<Hit> hits = new LinkedBlockingQueue<>();
    private final AtomicInteger failFirst = new AtomicInteger();
    private final HttpClient client = HttpClient.newHttpClient();
    private final ObjectMapper json = Json.newMapper();

    private static AlertEvent event(AlertEvent.Type type, String severity) {
        AlertView v = new AlertView("heat-stress", "Heat stress (THI)", severity, "firing", Instant.parse("2026-07-01T14:00:00Z"),
                81.0, "", "thi 81: emergency from THI 81", false, null, null, false, "THI formula");
        return new AlertEvent(type, v, true, Instant.parse("2026-07-01T14:00:00Z"), "heat-stress@1");
    }

    @BeforeEach
    void receiver() throws Exception {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            int status = failFirst.getAndDecrement() > 0 ? 500 : 200;
            if (status == 200) {
                hits.add(new Hit(ex.getRequestURI().getPath(), new String(body, StandardCharsets.UTF_8), ex.getRequestHeaders()));
            }
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        http.start();
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    private String base() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    @Test
    void webhookPostsSignedJson() throws Exception {
        new WebhookChannel(base() + "/hook", "s3cret", "coop", json, client).send(event(AlertEvent.Type.FIRING, "critical"));
        Hit h = hits.poll(30, TimeUnit.SECONDS);
        assertThat(h.path()).isEqualTo("/hook");
        JsonNode body = json.readTree(h.body());
        assertThat(body.path("event").asText()).isEqualTo("firing");
        assertThat(body.path("node").asText()).isEqualTo("coop");
        assertThat(body.path("alert").path("id").asText()).isEqualTo("heat-stress");
        assertThat(body.path("alert").path("value").asDouble()).isEqualTo(81.0);
        assertThat(h.headers().getFirst("X-Beeper-Signature"))
                .isEqualTo("sha256=" + WebhookChannel.sign("s3cret".getBytes(StandardCharsets.UTF_8), h.body().getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void ntfyGetsTitlePriorityTagsAndToken() throws Exception {
        new NtfyChannel(base() + "/", "coop-alerts", "tk_123", "coop", client).send(event(AlertEvent.Type.FIRING, "critical"));
        Hit h = hits.poll(30, TimeUnit.SECONDS);
        assertThat(h.path()).isEqualTo("/coop-alerts");
        assertThat(h.headers().getFirst("Title")).isEqualTo("[coop] Heat stress (THI): CRITICAL");
        assertThat(h.headers().getFirst("Priority")).isEqualTo("5");
        assertThat(h.headers().getFirst("Tags")).isEqualTo("rotating_light");
        assertThat(h.headers().getFirst("Authorization")).isEqualTo("Bearer tk_123");
        assertThat(h.body()).contains("thi 81: emergency from THI 81");
    }

    @Test
    void aFailedDeliveryIsRetriedWithBackoffAndCounted() throws Exception {
        failFirst.set(2);
        try (Dispatcher d = new Dispatcher(List.of(new WebhookChannel(base() + "/hook", "", "coop", json, client)), 4,
                Duration.ofMillis(50))) {
            d.accept(event(AlertEvent.Type.FIRING, "warning"));
            assertThat(hits.poll(30, TimeUnit.SECONDS)).isNotNull();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Dispatcher.Stats s = d.stats().get(0);
                assertThat(s.sent()).isEqualTo(1);
                assertThat(s.retries()).isEqualTo(2);
                assertThat(s.failed()).isZero();
            });
            failFirst.set(100);
            d.accept(event(AlertEvent.Type.RESOLVED, "warning"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(d.stats().get(0).failed()).isEqualTo(1));
            assertThat(Dispatcher.health(d.stats().get(0)).status().name()).isEqualTo("DEGRADED");
            assertThat(Dispatcher.health(d.stats().get(0)).detail()).contains("HTTP 500");
        }
    }

    @Test
    void simulatedAlertsNeverReachANotifyingChannel() throws Exception {
        try (Dispatcher d = new Dispatcher(List.of(new WebhookChannel(base() + "/hook", "", "coop", json, client)), 1, Duration.ofMillis(50))) {
            AlertEvent e = event(AlertEvent.Type.FIRING, "warning");
            AlertView v = e.alert();
            AlertView sim = new AlertView(v.id(), v.title(), v.severity(), v.state(), v.since(), v.value(), v.unit(), v.detail(),
                    false, null, null, true, v.source());
            d.accept(new AlertEvent(e.type(), sim, true, e.at(), e.episode()));
            await().atMost(Duration.ofSeconds(30)).until(() -> d.stats().get(0).skippedSimulated() == 1);
            assertThat(hits.poll(1, TimeUnit.SECONDS)).as("nothing sent in a quiet second after the skip").isNull();
        }
    }

    @Test
    void emailOverStartTlsWithLogin() throws Exception {
        try (BenchSmtpServer smtp = new BenchSmtpServer(dir)) {
            AlertsConfig.Email cfg = new AlertsConfig.Email("127.0.0.1", smtp.port(), true, "keeper", "pw", "beeper@coop.test",
                    "anna@coop.test, ben@coop.test");
            new EmailChannel(cfg, "coop", smtp.clientContext().getSocketFactory()).send(event(AlertEvent.Type.FIRING, "critical"));
            BenchSmtpServer.Mail m = smtp.received.poll(30, TimeUnit.SECONDS);
            assertThat(m.tls()).isTrue();
            assertThat(m.user()).isEqualTo("keeper");
            assertThat(m.from()).isEqualTo("beeper@coop.test");
            assertThat(m.to()).containsExactly("anna@coop.test", "ben@coop.test");
            assertThat(m.data()).contains("Subject: =?UTF-8?B?").contains("X-Beeper-Alert: heat-stress; firing")
                    .contains("thi 81: emergency from THI 81");
        }
    }

    @Test
    void emailRefusesAServerWithoutStartTlsAndAnUntrustedCertificate() throws Exception {
        try (BenchSmtpServer plain = new BenchSmtpServer(null)) {
            AlertsConfig.Email cfg = new AlertsConfig.Email("127.0.0.1", plain.port(), true, "keeper", "pw", "b@c.d", "a@c.d");
            assertThatThrownBy(() -> new EmailChannel(cfg, "coop", (javax.net.ssl.SSLSocketFactory) javax.net.ssl.SSLSocketFactory.getDefault())
                    .send(event(AlertEvent.Type.FIRING, "warning"))).hasMessageContaining("does not offer STARTTLS");
            assertThat(plain.received).isEmpty();
        }
        try (BenchSmtpServer tls = new BenchSmtpServer(dir)) {
            AlertsConfig.Email cfg = new AlertsConfig.Email("127.0.0.1", tls.port(), true, "keeper", "pw", "b@c.d", "a@c.d");
            assertThatThrownBy(() -> new EmailChannel(cfg, "coop", (javax.net.ssl.SSLSocketFactory) javax.net.ssl.SSLSocketFactory.getDefault())
                    .send(event(AlertEvent.Type.FIRING, "warning"))).isInstanceOf(javax.net.ssl.SSLException.class);
            assertThat(tls.received).isEmpty();
        }
    }
}

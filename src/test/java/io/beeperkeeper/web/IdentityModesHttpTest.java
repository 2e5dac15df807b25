package io.beeperkeeper.web;

import io.beeperkeeper.config.ViewersConfig;
import io.beeperkeeper.feature.Json;
import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.health.HealthRegistry;
import io.beeperkeeper.telemetry.LatestMetrics;
import io.beeperkeeper.viewers.ClientAddresses;
import io.beeperkeeper.viewers.CloudflareAccessVerifier;
import io.beeperkeeper.viewers.IdentityResolver;
import io.beeperkeeper.viewers.IdentityResolvers;
import io.beeperkeeper.viewers.Presence;
import io.beeperkeeper.viewers.TestAccessTeam;
import io.beeperkeeper.web.viewers.IdentityGate;
import io.beeperkeeper.web.viewers.ViewersWebModule;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Identity over real HTTP in each mode: the LAN pass of cloudflare-access (this machine's loopback
 * stands in for the home network) and the health probe from this machine that answers in every mode.
 */
class IdentityModesHttpTest {
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    TestAccessTeam team;
    LiveEvents events;
    Javalin app;
    String base;

    @BeforeEach
    void team() throws Exception {
        team = new TestAccessTeam();
        events = new LiveEvents(Json.newMapper());
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
        events.close();
        team.close();
    }

    void start(IdentityResolver resolver, boolean gated) {
        HealthRegistry health = new HealthRegistry();
        health.register("chat", () -> ComponentHealth.up("3 messages stored"));
        IdentityGate gate = new IdentityGate(resolver, "Open the hub through its Cloudflare Access address.");
        app = Javalin.create(c -> {
            SecurityHeaders.install(c.routes);
            if (gated) {
                gate.guardEverything(c.routes);
            }
            RequestGuards.defaults().install(c.routes);
            new CoreWeb(health, new LatestMetrics("hub"), events, "test").register(c.routes);
            new ViewersWebModule(new Presence(Clock.systemUTC(), l -> { }), gate).register(c.routes);
        }).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + app.port();
    }

    IdentityResolver cloudflare(String localNetworks) {
        ViewersConfig.CloudflareConfig cf = new ViewersConfig.CloudflareConfig(TestAccessTeam.TEAM, TestAccessTeam.AUDIENCE,
                team.certsUrl(), false);
        return IdentityResolvers.cloudflareAccess(cf, ClientAddresses.parse(""),
                localNetworks.isEmpty() ? List.of() : List.of(io.beeperkeeper.viewers.AddressBlock.parse(localNetworks)),
                CloudflareAccessVerifier.remoteKeys(team.certsUrl()), Clock.systemUTC());
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aDirectVisitorFromALocalNetworkWatchesWithoutSigningIn() throws Exception {
        start(cloudflare("127.0.0.0/8"), true);
        HttpResponse<String> me = get("/api/whoami");
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"name\":\"local-127.0.0.1\"").contains("\"source\":\"local\"");
        assertThat(get("/api/whoami", IdentityResolvers.ACCESS_HEADER, team.token("carol@example.com")).body())
                .contains("\"name\":\"carol\"");
    }

    @Test
    void fromALocalNetworkAForgedTokenOrASpoofedRelayHeaderIsRefused() throws Exception {
        start(cloudflare("127.0.0.0/8"), true);
        HttpResponse<String> forged = get("/api/whoami", IdentityResolvers.ACCESS_HEADER,
                TestAccessTeam.forged("carol@example.com"));
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.body()).contains("\"error\":\"not signed in: Cloudflare Access token rejected");
        HttpResponse<String> spoofed = get("/api/whoami", "CF-Connecting-IP", "127.0.0.1");
        assertThat(spoofed.statusCode()).isEqualTo(401);
        assertThat(get("/api/whoami", "X-Forwarded-For", "127.0.0.1").statusCode()).isEqualTo(401);
        assertThat(get("/", "CF-Connecting-IP", "198.51.100.7").statusCode()).isEqualTo(401);
    }

    @Test
    void withoutLocalNetworksEveryVisitorSignsIn() throws Exception {
        start(cloudflare(""), true);
        assertThat(get("/api/whoami").statusCode()).isEqualTo(401);
        assertThat(get("/api/active_users").statusCode()).isEqualTo(401);
    }

    @Test
    void aPlainHealthProbeFromThisMachineAnswersTheStatusInCloudflareMode() throws Exception {
        start(cloudflare(""), true);
        HttpResponse<String> probe = get("/api/health");
        assertThat(probe.statusCode()).isEqualTo(200);
        assertThat(probe.body()).isEqualTo("{\"status\":\"up\"}");
        // relayed by cloudflared: the visitor must sign in, and then sees the components
        assertThat(get("/api/health", "CF-Connecting-IP", "198.51.100.7").statusCode()).isEqualTo(401);
        assertThat(get("/api/health", IdentityResolvers.ACCESS_HEADER, "garbage").statusCode()).isEqualTo(401);
        HttpResponse<String> signedIn = get("/api/health", "CF-Connecting-IP", "198.51.100.7",
                IdentityResolvers.ACCESS_HEADER, team.token("carol@example.com"));
        assertThat(signedIn.statusCode()).isEqualTo(200);
        assertThat(signedIn.body()).contains("\"components\"").contains("3 messages stored");
        // the probe's pass is for /api/health alone
        assertThat(get("/api/active_users").statusCode()).isEqualTo(401);
        assertThat(get("/api/health/x").statusCode()).isEqualTo(401);
    }

    @Test
    void aPlainHealthProbeFromThisMachineAnswersInTrustedProxyAndLocalModes() throws Exception {
        start(IdentityResolvers.trustedProxy(ClientAddresses.parse("10.9.9.9"), "X-Forwarded-User"), true);
        assertThat(get("/api/whoami").statusCode()).isEqualTo(401);
        HttpResponse<String> probe = get("/api/health");
        assertThat(probe.statusCode()).isEqualTo(200);
        assertThat(probe.body()).isEqualTo("{\"status\":\"up\"}");
        app.stop();

        start(IdentityResolvers.local(ClientAddresses.parse("")), false);
        HttpResponse<String> local = get("/api/health");
        assertThat(local.statusCode()).isEqualTo(200);
        assertThat(local.body()).contains("\"status\":\"up\"").contains("\"components\"");
    }
}

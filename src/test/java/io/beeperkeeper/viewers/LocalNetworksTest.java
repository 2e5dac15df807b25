package io.beeperkeeper.viewers;

import io.beeperkeeper.config.ConfigLoader;
import io.beeperkeeper.config.ViewersConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.beeperkeeper.viewers.CloudflareAccessVerifierTest.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code viewers.localNetworks} in cloudflare-access mode: the household on the LAN watches as
 * {@code local-<IP>} when it opens the hub directly; anything relayed, forged or spoofed still needs a
 * valid token. Tokens are minted by a stand-in Access team whose keys a real HTTP server serves.
 */
class LocalNetworksTest {
    TestAccessTeam team;
    IdentityResolver resolver;

    @BeforeEach
    void start() throws Exception {
        team = new TestAccessTeam();
        ViewersConfig.CloudflareConfig cf = new ViewersConfig.CloudflareConfig(TestAccessTeam.TEAM, TestAccessTeam.AUDIENCE,
                team.certsUrl(), false);
        resolver = IdentityResolvers.cloudflareAccess(cf, ClientAddresses.parse(""),
                IdentityResolvers.blocks("192.168.1.0/24, fd00::/8"), CloudflareAccessVerifier.remoteKeys(team.certsUrl()),
                Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        team.close();
    }

    IdentityResult from(String socket, String... headerPairs) {
        Map<String, String> headers = new HashMap<>();
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.put(headerPairs[i], headerPairs[i + 1]);
        }
        return resolver.resolve(request(socket, headers));
    }

    static IdentityResult local(String ip) {
        return new IdentityResult.Identified(new ViewerIdentity("local-" + ip, ViewerIdentity.Source.LOCAL));
    }

    @Test
    void aDirectVisitorFromTheHomeNetworkIsLocalByAddress() {
        assertThat(from("192.168.1.20")).isEqualTo(local("192.168.1.20"));
        assertThat(from("fd00::1:2")).isEqualTo(local("fd00:0:0:0:0:0:1:2"));
    }

    @Test
    void aValidTokenFromTheHomeNetworkStillNamesTheUser() throws Exception {
        assertThat(from("192.168.1.20", IdentityResolvers.ACCESS_HEADER, team.token("alice@example.com")))
                .isEqualTo(new IdentityResult.Identified(new ViewerIdentity("alice", ViewerIdentity.Source.ACCESS_USER)));
    }

    @Test
    void aBadTokenIsRefusedEvenFromTheHomeNetwork() throws Exception {
        assertThat(from("192.168.1.20", IdentityResolvers.ACCESS_HEADER, TestAccessTeam.forged("alice@example.com")))
                .isInstanceOf(IdentityResult.Refused.class);
        assertThat(from("192.168.1.20", IdentityResolvers.ACCESS_HEADER, "garbage")).isInstanceOf(IdentityResult.Refused.class);
        assertThat(from("192.168.1.20", IdentityResolvers.ACCESS_HEADER, "")).isInstanceOf(IdentityResult.Refused.class);
    }

    @Test
    void aRelayedRequestNeedsAValidTokenWhateverItsSocketAddress() throws Exception {
        // a LAN device that spoofs CF-Connecting-IP (as if relayed) or any forwarded header gets no pass
        for (String header : List.of("CF-Connecting-IP", "X-Forwarded-For", "Forwarded", "X-Real-IP", "CF-Ray")) {
            assertThat(from("192.168.1.20", header, "192.168.1.20")).as(header).isInstanceOf(IdentityResult.Refused.class);
        }
        // cloudflared on a LAN machine relays from a LAN address, always with CF-Connecting-IP
        assertThat(from("192.168.1.5", "CF-Connecting-IP", "198.51.100.7", "X-Forwarded-For", "198.51.100.7"))
                .isInstanceOf(IdentityResult.Refused.class);
        assertThat(from("192.168.1.5", "CF-Connecting-IP", "198.51.100.7",
                IdentityResolvers.ACCESS_HEADER, team.token("bob@example.com")))
                .isEqualTo(new IdentityResult.Identified(new ViewerIdentity("bob", ViewerIdentity.Source.ACCESS_USER)));
        assertThat(from("192.168.1.5", "CF-Connecting-IP", "198.51.100.7", IdentityResolvers.ACCESS_HEADER, TestAccessTeam.forged("bob@example.com")))
                .isInstanceOf(IdentityResult.Refused.class);
    }

    @Test
    void addressesOutsideTheHomeNetworksNeedAToken() throws Exception {
        assertThat(from("192.168.2.20")).isInstanceOf(IdentityResult.Refused.class);
        assertThat(from("203.0.113.9")).isInstanceOf(IdentityResult.Refused.class);
        assertThat(from("127.0.0.1")).as("loopback is not listed and allowLoopback is off").isInstanceOf(IdentityResult.Refused.class);
        assertThat(from("fe80::1")).isInstanceOf(IdentityResult.Refused.class);
        assertThat(from("not-an-address")).isInstanceOf(IdentityResult.Refused.class);
    }

    @Test
    void theSettingIsReadAndCheckedByTheConfigLoader(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = dir.resolve("beeper.yaml");
        Files.writeString(f, "viewers:\n  identity: cloudflare-access\n  localNetworks: 192.168.1.0/24, fd00::/8\n"
                + "  cloudflare:\n    teamDomain: coop\n    audience: abc\n");
        ViewersConfig c = new ConfigLoader().load(f, Map.of(), Map.of()).viewers();
        assertThat(c.identity()).isEqualTo(ViewersConfig.Identity.CLOUDFLARE_ACCESS);
        assertThat(IdentityResolvers.blocks(c.localNetworks())).hasSize(2);
        assertThat(new ConfigLoader().load(null, Map.of("BEEPER_VIEWERS_LOCAL_NETWORKS", "10.0.0.0/8"), Map.of()).viewers().localNetworks())
                .isEqualTo("10.0.0.0/8");
        Files.writeString(f, "viewers:\n  localNetworks: home.lan\n");
        assertThatThrownBy(() -> new ConfigLoader().load(f, Map.of(), Map.of())).hasMessageContaining("viewers.localNetworks");
        Files.writeString(f, "viewers:\n  localNetworks: 192.168.1.0/33\n");
        assertThatThrownBy(() -> new ConfigLoader().load(f, Map.of(), Map.of())).hasMessageContaining("viewers.localNetworks");
    }
}

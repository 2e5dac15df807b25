package io.beeperkeeper.viewers;

import io.beeperkeeper.config.BeeperConfig;
import io.beeperkeeper.config.ConfigException;
import io.beeperkeeper.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The viewers and chat settings through the real config loader: file, environment, refusals. */
class ViewersConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreLocalModeAndFiveMessagesPerTenSeconds() {
        BeeperConfig c = new ConfigLoader().load(null, Map.of(), Map.of());
        assertThat(c.viewers().identity()).isEqualTo(io.beeperkeeper.config.ViewersConfig.Identity.LOCAL);
        assertThat(c.chat().rateLimitMessages()).isEqualTo(5);
        assertThat(c.chat().rateLimitSeconds()).isEqualTo(10);
    }

    @Test
    void cloudflareSettingsComeFromTheFileAndTheEnvironment() throws Exception {
        Path f = dir.resolve("beeper.yaml");
        Files.writeString(f, "viewers:\n  identity: cloudflare-access\n  cloudflare:\n    teamDomain: coop\n");
        BeeperConfig c = new ConfigLoader().load(f, Map.of("BEEPER_VIEWERS_CLOUDFLARE_AUDIENCE", "abc123"), Map.of());
        assertThat(c.viewers().cloudflare().teamUrl()).isEqualTo("https://coop.cloudflareaccess.com");
        assertThat(c.viewers().cloudflare().effectiveCertsUrl()).isEqualTo("https://coop.cloudflareaccess.com/cdn-cgi/access/certs");
        assertThat(c.viewers().cloudflare().audience()).isEqualTo("abc123");
    }

    @Test
    void cloudflareModeWithoutAudienceIsRefusedNamingTheKey() throws Exception {
        Path f = dir.resolve("beeper.yaml");
        Files.writeString(f, "viewers:\n  identity: cloudflare-access\n  cloudflare:\n    teamDomain: coop.cloudflareaccess.com\n");
        assertThatThrownBy(() -> new ConfigLoader().load(f, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("viewers.cloudflare.audience");
    }

    @Test
    void badValuesAreRefused() throws Exception {
        Path f = dir.resolve("beeper.yaml");
        Files.writeString(f, "viewers:\n  identity: magic\n");
        assertThatThrownBy(() -> new ConfigLoader().load(f, Map.of(), Map.of())).hasMessageContaining("viewers.identity");
        Files.writeString(f, "viewers:\n  trustedProxies: proxy.lan\n");
        assertThatThrownBy(() -> new ConfigLoader().load(f, Map.of(), Map.of())).hasMessageContaining("viewers.trustedProxies");
        Files.writeString(f, "chat:\n  rateLimitMessages: 0\n");
        assertThatThrownBy(() -> new ConfigLoader().load(f, Map.of(), Map.of())).hasMessageContaining("chat.rateLimitMessages");
    }

    @Test
    void theDocumentedExampleLoadsAndMatchesTheDefaults() {
        BeeperConfig c = new ConfigLoader().load(Path.of("beeper.example.yaml"), Map.of(), Map.of());
        assertThat(c.viewers()).isEqualTo(BeeperConfig.defaults().viewers());
        assertThat(c.chat()).isEqualTo(BeeperConfig.defaults().chat());
    }
}

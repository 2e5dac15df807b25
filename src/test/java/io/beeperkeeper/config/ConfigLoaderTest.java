package io.beeperkeeper.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader();

    private Path yaml(String text) throws IOException {
        Path f = dir.resolve("beeper.yaml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void defaultsWithoutFile() {
        BeeperConfig c = loader.load(null, Map.of(), Map.of());
        assertThat(c.web().port()).isEqualTo(8080);
        assertThat(c.mqtt().host()).isEqualTo("127.0.0.1");
        assertThat(c.mqtt().port()).isEqualTo(1883);
        assertThat(c.mqtt().embedded()).isTrue();
        assertThat(c.data().dir()).isEqualTo("./data");
    }

    @Test
    void goodFileOverridesOnlyWhatItSays() throws IOException {
        BeeperConfig c = loader.load(yaml("web:\n  port: 9090\nmqtt:\n  topicPrefix: barn\nsensors:\n  intervalSeconds: 2.5\n"), Map.of(), Map.of());
        assertThat(c.web().port()).isEqualTo(9090);
        assertThat(c.web().host()).isEqualTo("0.0.0.0");
        assertThat(c.mqtt().topicPrefix()).isEqualTo("barn");
        assertThat(c.sensors().intervalSeconds()).isEqualTo(2.5);
    }

    @Test
    void unknownKeyIsNamedWithTheKnownOnes() throws IOException {
        Path f = yaml("web:\n  prot: 9090\n");
        assertThatThrownBy(() -> loader.load(f, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown config key 'web.prot'")
                .hasMessageContaining("host, port");
    }

    @Test
    void unknownSectionIsRefused() throws IOException {
        Path f = yaml("wbe:\n  port: 1\n");
        assertThatThrownBy(() -> loader.load(f, Map.of(), Map.of()))
                .hasMessageContaining("unknown config key 'wbe'");
    }

    @Test
    void badValueNamesKeyValueAndWhatIsAllowed() throws IOException {
        Path f = yaml("web:\n  port: 70000\n");
        assertThatThrownBy(() -> loader.load(f, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("web.port").hasMessageContaining("70000").hasMessageContaining("1-65535");
    }

    @Test
    void wrongTypeNamesTheKey() throws IOException {
        Path f = yaml("web:\n  port: eighty\n");
        assertThatThrownBy(() -> loader.load(f, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("web.port").hasMessageContaining("eighty").hasMessageContaining("whole number");
    }

    @Test
    void badEnumValue() throws IOException {
        Path f = yaml("mqtt:\n  broker: mosquito\n");
        assertThatThrownBy(() -> loader.load(f, Map.of(), Map.of()))
                .hasMessageContaining("mqtt.broker").hasMessageContaining("mosquito").hasMessageContaining("embedded or external");
    }

    @Test
    void environmentOverridesFileAndCommandLineOverridesBoth() throws IOException {
        Path f = yaml("web:\n  port: 9090\nmqtt:\n  port: 1884\n");
        BeeperConfig c = loader.load(f, Map.of("BEEPER_WEB_PORT", "9191", "BEEPER_MQTT_PORT", "1999",
                "BEEPER_MQTT_TOPIC_PREFIX", "coop2"), Map.of());
        assertThat(c.web().port()).isEqualTo(9191);
        assertThat(c.mqtt().port()).isEqualTo(1999);
        assertThat(c.mqtt().topicPrefix()).isEqualTo("coop2");

        BeeperConfig cli = loader.load(f, Map.of("BEEPER_WEB_PORT", "9191"), Map.of("web.port", "7000", "data.dir", "/tmp/x"));
        assertThat(cli.web().port()).isEqualTo(7000);
        assertThat(cli.data().dir()).isEqualTo("/tmp/x");
    }

    @Test
    void badEnvironmentValueNamesTheVariable() {
        assertThatThrownBy(() -> loader.load(null, Map.of("BEEPER_WEB_PORT", "http"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("web.port").hasMessageContaining("BEEPER_WEB_PORT").hasMessageContaining("http");
    }

    @Test
    void externalBrokerNeedsAUrl() throws IOException {
        Path f = yaml("mqtt:\n  broker: external\n");
        assertThatThrownBy(() -> loader.load(f, Map.of(), Map.of())).hasMessageContaining("mqtt.url");
        BeeperConfig ok = loader.load(yaml("mqtt:\n  broker: external\n  url: tcp://10.0.0.2:1883\n"), Map.of(), Map.of());
        assertThat(ok.mqtt().embedded()).isFalse();
    }

    @Test
    void invalidYamlSaysSoWithTheLine() throws IOException {
        Path f = yaml("web:\n  port: [1\n");
        assertThatThrownBy(() -> loader.load(f, Map.of(), Map.of())).hasMessageContaining("not valid YAML");
    }

    @Test
    void envNamesFollowTheKeys() {
        assertThat(ConfigLoader.envName("web.port")).isEqualTo("BEEPER_WEB_PORT");
        assertThat(ConfigLoader.envName("mqtt.topicPrefix")).isEqualTo("BEEPER_MQTT_TOPIC_PREFIX");
    }

    @Test
    void exampleFileDocumentsEveryKeyAndLoads() throws IOException {
        Path example = Path.of("beeper.example.yaml");
        BeeperConfig c = loader.load(example, Map.of(), Map.of());
        assertThat(c).isEqualTo(BeeperConfig.defaults());
        String text = Files.readString(example);
        for (String key : loader.knownKeys()) {
            String leaf = key.substring(key.lastIndexOf('.') + 1);
            assertThat(text).as("beeper.example.yaml documents " + key).contains(leaf + ":");
        }
    }
}

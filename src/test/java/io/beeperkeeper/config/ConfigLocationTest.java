package io.beeperkeeper.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The settings file lookup: --config, $BEEPER_CONFIG, /etc/beeper-keeper/beeper.yaml, ./beeper.yaml. */
class ConfigLocationTest {
    @TempDir
    Path tmp;
    Path root;
    Path work;
    Path system;
    Path local;

    @BeforeEach
    void trees() throws IOException {
        root = Files.createDirectories(tmp.resolve("root"));
        work = Files.createDirectories(tmp.resolve("checkout"));
        system = root.resolve("etc/beeper-keeper/beeper.yaml");
        local = work.resolve("beeper.yaml");
    }

    private ConfigLocation find(Path option, Map<String, String> env) {
        return ConfigLocation.find(option, env, root, work).orElse(null);
    }

    private void both() throws IOException {
        Files.createDirectories(system.getParent());
        Files.writeString(system, "web:\n  port: 8080\n");
        Files.writeString(local, "web:\n  port: 9090\n");
    }

    @Test
    void theOptionWinsOverEverything() throws IOException {
        both();
        Path named = tmp.resolve("mine.yaml");
        ConfigLocation l = find(named, Map.of(ConfigLocation.ENV, tmp.resolve("env.yaml").toString()));
        assertThat(l.path()).isEqualTo(named);
        assertThat(l.found()).isEqualTo("--config");
    }

    @Test
    void theVariableWinsOverTheFixedPlaces() throws IOException {
        both();
        ConfigLocation l = find(null, Map.of(ConfigLocation.ENV, "/srv/coop.yaml"));
        assertThat(l.path()).isEqualTo(Path.of("/srv/coop.yaml"));
        assertThat(l.found()).isEqualTo("$BEEPER_CONFIG");
    }

    @Test
    void anEmptyVariableCountsAsUnset() throws IOException {
        both();
        assertThat(find(null, Map.of(ConfigLocation.ENV, " ")).path()).isEqualTo(system);
    }

    @Test
    void theInstalledFileWinsOverTheWorkingFolder() throws IOException {
        both();
        assertThat(find(null, Map.of()).path()).isEqualTo(system);
    }

    @Test
    void theWorkingFolderWhenNothingIsInstalled() throws IOException {
        Files.writeString(local, "web:\n  port: 9090\n");
        ConfigLocation l = find(null, Map.of());
        assertThat(l.path()).isEqualTo(local);
        assertThat(new ConfigLoader().load(l.path(), Map.of(), Map.of()).web().port()).isEqualTo(9090);
    }

    @Test
    void aFolderWhereTheFileShouldBeDoesNotCount() throws IOException {
        Files.createDirectories(system);
        assertThat(find(null, Map.of())).isNull();
    }

    @Test
    void noFileAnywhereMeansBuiltInDefaults() {
        assertThat(ConfigLocation.find(null, Map.of(), root, work)).isEmpty();
    }
}

package io.beeperkeeper.history;

import io.beeperkeeper.config.HistoryConfig;
import io.beeperkeeper.health.ComponentHealth;
import io.beeperkeeper.health.HealthRegistry;
import io.beeperkeeper.metric.MetricSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The feature as App wires it: beeper.db in the data folder, health "store", samples stored. */
class HistoryFeatureTest {
    @TempDir
    Path dir;

    @Test
    void storesSamplesInTheDataFolderAndReportsHealth() {
        HealthRegistry health = new HealthRegistry();
        try (HistoryFeature f = new HistoryFeature(HistoryConfig.defaults(), dir.resolve("data"), Clock.systemUTC(),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry())) {
            f.health().forEach(h -> health.register(h.name(), h.state()));
            f.start();
            f.onSample(new MetricSample("coop", "temperature", 20, "°C", Instant.now(), null));
            f.store().flush(Duration.ofSeconds(30));
            assertThat(Files.exists(dir.resolve("data").resolve("beeper.db"))).isTrue();
            assertThat(health.snapshot()).containsKey("store").doesNotContainKey("influx");
            assertThat(health.snapshot().get("store").status()).isEqualTo(ComponentHealth.Status.UP);
            assertThat(f.store().metrics()).hasSize(1);
        }
    }
}

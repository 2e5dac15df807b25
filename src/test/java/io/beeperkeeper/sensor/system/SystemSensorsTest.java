package io.beeperkeeper.sensor.system;

import io.beeperkeeper.sensor.Reading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SystemSensorsTest {
    private static final Instant NOW = Instant.parse("2026-05-01T08:00:00Z");

    @Test
    void softTemperatureLimit() {
        assertThat(ThrottleFlags.parse("0x80008").describe())
                .isEqualTo("soft temperature limit active; soft temperature limit has occurred");
    }

    @Test
    void friendsOf0x80008() {
        assertThat(ThrottleFlags.parse("throttled=0x0").describe()).isEqualTo("no throttling");
        assertThat(ThrottleFlags.parse("throttled=0x50005\n").describe())
                .isEqualTo("under-voltage active; throttling active; under-voltage has occurred; throttling has occurred");
        assertThat(ThrottleFlags.parse("0x50000").describe()).isEqualTo("under-voltage has occurred; throttling has occurred");
        assertThat(ThrottleFlags.parse("0x2").describe()).isEqualTo("arm frequency capping active");
        assertThat(ThrottleFlags.parse("e0000").describe())
                .isEqualTo("arm frequency capping has occurred; throttling has occurred; soft temperature limit has occurred");
        assertThat(ThrottleFlags.parse("0x100").describe()).isEqualTo("unknown bit 8");
        assertThat(ThrottleFlags.parse("0x80008").anyActive()).isTrue();
        assertThat(ThrottleFlags.parse("0x80000").anyActive()).isFalse();
        assertThatThrownBy(() -> ThrottleFlags.parse("hot")).hasMessageContaining("0x80008");
    }

    @Test
    void throttleFromSysfsOrCommand(@TempDir Path root) throws IOException {
        assertThat(new ThrottleReader(root.resolve("sys"), List.of()).read()).isEmpty();
        // A stand-in for vcgencmd: the real process path, with a shell printing what vcgencmd prints.
        assertThat(new ThrottleReader(root.resolve("sys"), List.of("sh", "-c", "echo throttled=0x50005")).read().orElseThrow().value())
                .isEqualTo(0x50005);
        assertThat(new ThrottleReader(root.resolve("sys"), List.of("sh", "-c", "exit 3")).read()).isEmpty();
        Path node = root.resolve("sys").resolve(ThrottleReader.SYSFS_NODE);
        Files.createDirectories(node.getParent());
        Files.writeString(node, "80008\n");
        assertThat(new ThrottleReader(root.resolve("sys"), List.of("false")).read().orElseThrow().describe())
                .startsWith("soft temperature limit active");
    }

    @Test
    void cpuTemperatureWithThrottleFlags(@TempDir Path root) throws IOException {
        assertThat(CpuTemperatureSource.available(root.resolve("sys"))).isFalse();
        Path zone = root.resolve("sys").resolve(CpuTemperatureSource.THERMAL_ZONE);
        Files.createDirectories(zone.getParent());
        Files.writeString(zone, "48312\n");
        Path node = root.resolve("sys").resolve(ThrottleReader.SYSFS_NODE);
        Files.createDirectories(node.getParent());
        Files.writeString(node, "80008\n");
        Reading r = new CpuTemperatureSource(root.resolve("sys"), new ThrottleReader(root.resolve("sys"), List.of())).poll(NOW).get(0);
        assertThat(r.fields()).containsEntry("temperature", 48.312).containsEntry("throttled", 0x80008L)
                .containsEntry("throttled_flags", "soft temperature limit active; soft temperature limit has occurred");
        Files.writeString(zone, "garbage");
        assertThatThrownBy(() -> new CpuTemperatureSource(root.resolve("sys"), new ThrottleReader(root.resolve("sys"), List.of())).poll(NOW))
                .isInstanceOf(IOException.class).hasMessageContaining("garbage");
    }

    @Test
    void systemStatsFromProcDeltas(@TempDir Path root) throws IOException {
        Path proc = Files.createDirectories(root.resolve("proc"));
        Files.writeString(proc.resolve("stat"), "cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 50 0 50 350 50 0 0 0 0 0\n");
        Files.writeString(proc.resolve("meminfo"), "MemTotal:        1000000 kB\nMemFree:          100000 kB\nMemAvailable:     250000 kB\n");
        Files.writeString(proc.resolve("loadavg"), "0.52 0.38 0.30 2/345 12345\n");
        Files.writeString(proc.resolve("uptime"), "12345.67 20000.00\n");
        SystemStatsSource s = new SystemStatsSource(root.resolve("proc"), root.resolve("data/not-yet-created"));
        Map<String, Object> first = s.poll(NOW).get(0).fields();
        assertThat(first).containsEntry("cpu_percent", 20.0) // since boot: 200 busy of 1000
                .containsEntry("memory_percent", 75.0).containsEntry("load_1m", 0.52).containsEntry("load_15m", 0.30)
                .containsEntry("uptime_s", 12345L);
        assertThat((Double) first.get("disk_percent")).isBetween(0.0, 100.0);
        // Next poll: +300 user, +100 system, +100 idle, +0 iowait -> 80 % busy over the interval.
        Files.writeString(proc.resolve("stat"), "cpu  400 0 200 800 100 0 0 0 0 0\n");
        assertThat(s.poll(NOW.plusSeconds(5)).get(0).fields()).containsEntry("cpu_percent", 80.0);
    }
}

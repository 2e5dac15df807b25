package io.beeperkeeper.feature;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The hub's resident and virtual memory come from /proc/self/status (a fake tree here), NaN without it. */
class ProcessMetersTest {
    @Test
    void residentMemoryIsReadInBytesFromProcStatus(@TempDir Path proc) throws Exception {
        Files.createDirectories(proc.resolve("self"));
        Files.writeString(proc.resolve("self/status"), "Name:\tjava\nVmSize:\t 2048000 kB\nVmRSS:\t   98304 kB\nThreads:\t40\n");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (ProcessMeters m = new ProcessMeters(proc)) {
            m.bindTo(meters);
            assertThat(meters.get("process.resident.memory").gauge().value()).isEqualTo(98304 * 1024.0);
            assertThat(meters.get("process.virtual.memory").gauge().value()).isEqualTo(2048000 * 1024.0);
            assertThat(meters.get("jvm.memory.used").gauges()).isNotEmpty();
            assertThat(meters.get("process.cpu.usage").gauge()).isNotNull();
            Files.delete(proc.resolve("self/status"));
            assertThat(meters.get("process.resident.memory").gauge().value()).isNaN();
        }
    }
}

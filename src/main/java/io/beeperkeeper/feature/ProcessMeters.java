package io.beeperkeeper.feature;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The hub process as a whole in {@code /metrics}: Micrometer's JVM and process binders (CPU, heap and
 * other memory pools, GC, threads, classes, open files, uptime) and the resident memory the kernel
 * counts ({@code process_resident_memory_bytes}, the figure a Pi's 1 GiB is spent on), which no
 * Micrometer binder reports. The RSS is read from {@code /proc/self/status} at each scrape; where
 * there is no such file it reads NaN.
 */
public final class ProcessMeters implements MeterBinder, AutoCloseable {
    private final Path procStatus;
    private JvmGcMetrics gc;

    /** @param proc the proc file system ({@code /proc}; a fake tree in tests) */
    public ProcessMeters(Path proc) {
        this.procStatus = proc.resolve("self/status");
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        new ProcessorMetrics().bindTo(meters);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ClassLoaderMetrics().bindTo(meters);
        new FileDescriptorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
        gc = new JvmGcMetrics();
        gc.bindTo(meters);
        Gauge.builder("process.resident.memory", this, m -> m.statusBytes("VmRSS:"))
                .description("resident memory of the hub process (VmRSS)").baseUnit("bytes").strongReference(true).register(meters);
        Gauge.builder("process.virtual.memory", this, m -> m.statusBytes("VmSize:"))
                .description("virtual memory of the hub process (VmSize)").baseUnit("bytes").strongReference(true).register(meters);
    }

    /** A "kB" line of /proc/self/status in bytes, NaN when it cannot be read. */
    double statusBytes(String key) {
        try {
            for (String line : Files.readAllLines(procStatus)) {
                if (line.startsWith(key)) {
                    String[] parts = line.substring(key.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    @Override
    public void close() {
        if (gc != null) {
            gc.close();
        }
    }
}

package io.beeperkeeper.check;

import io.beeperkeeper.config.BeeperConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The data folder (data.dir): writable, or creatable, by this user (else run refuses to start), and the
 * free space on its disk (the history, recordings and the MQTT queue live there).
 */
final class DiskProbe implements Probe {
    static final long LOW_BYTES = 1L << 30;

    @Override
    public void probe(BeeperConfig config, Findings out) {
        Path dir = Path.of(config.data().dir()).toAbsolutePath().normalize();
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        String fix = "--data DIR or data.dir in beeper.yaml";
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            out.add(Finding.blocker(Area.DISK, "data.dir", dir + (existing == dir ? " is not writable" : " cannot be created ("
                    + existing + " is not a writable folder)") + " by this user: run refuses to start",
                    Fix.run("sudo install -d -o \"$USER\" " + dir + "   # or choose another folder with " + fix)));
            return;
        }
        long free;
        long total;
        try {
            var store = Files.getFileStore(existing);
            free = store.getUsableSpace();
            total = store.getTotalSpace();
        } catch (IOException e) {
            out.add(Finding.missing(Area.DISK, "data.dir", "cannot tell the free space of " + dir + ": " + e.getMessage(), Fix.NONE));
            return;
        }
        String detail = dir + (existing == dir ? "" : " (created at start)") + ": " + size(free) + " free of " + size(total);
        if (free < LOW_BYTES) {
            out.add(Finding.missing(Area.DISK, "data.dir", detail + "; the history and recordings want at least 1 GiB",
                    Fix.todo("free some space, or move the data elsewhere with " + fix)));
        } else {
            out.add(Finding.ok(Area.DISK, "data.dir", detail));
        }
        out.uses("data: " + dir + " (" + size(free) + " free)");
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%d MiB", bytes >> 20);
    }
}

package io.beeperkeeper.sensor.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reads the firmware's throttle word: first the sysfs node of the raspberrypi firmware driver (no process
 * to start), else {@code vcgencmd get_throttled}. Neither exists off a Pi: then {@link #read()} is empty.
 */
public final class ThrottleReader {
    static final String SYSFS_NODE = "devices/platform/soc/soc:firmware/get_throttled";
    private final Path sysfsNode;
    private final List<String> command;

    /**
     * @param sysRoot "/sys" in production, a temporary tree in tests
     * @param command the vcgencmd invocation, or an empty list to never start a process
     */
    public ThrottleReader(Path sysRoot, List<String> command) {
        this(command, sysRoot.resolve(SYSFS_NODE));
    }

    private ThrottleReader(List<String> command, Path node) {
        this.sysfsNode = node;
        this.command = List.copyOf(command);
    }

    /** Reads the throttle word from one file only (the firmware's node elsewhere, or a test's file), never vcgencmd. */
    public static ThrottleReader fromFile(Path file) {
        return new ThrottleReader(List.of(), file);
    }

    public static ThrottleReader system() {
        return new ThrottleReader(Path.of("/sys"), List.of("vcgencmd", "get_throttled"));
    }

    public Optional<ThrottleFlags> read() {
        if (Files.isReadable(sysfsNode)) {
            try {
                return Optional.of(ThrottleFlags.parse(Files.readString(sysfsNode)));
            } catch (IOException | IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        if (command.isEmpty()) {
            return Optional.empty();
        }
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readNBytes(256);
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            if (p.exitValue() != 0) {
                return Optional.empty();
            }
            return Optional.of(ThrottleFlags.parse(new String(out, StandardCharsets.US_ASCII)));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Whether a throttle word can be read here at all (decides driver vs simulation). */
    public boolean available() {
        return read().isPresent();
    }
}

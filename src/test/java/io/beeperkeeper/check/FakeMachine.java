package io.beeperkeeper.check;

import io.beeperkeeper.config.BeeperConfig;
import io.beeperkeeper.config.ConfigLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A machine for {@code beeper check}'s tests: a root folder holding fake sys/, proc/, dev/ and etc/
 * trees, a bin folder of fake commands (shell scripts) as the only search path, and settings loaded
 * from YAML the way run loads them.
 */
final class FakeMachine {
    final Path root;
    final Path bin;
    private final Path dir;

    FakeMachine(Path dir) {
        this.dir = dir;
        this.root = dir.resolve("root");
        this.bin = dir.resolve("bin");
        try {
            Files.createDirectories(root);
            Files.createDirectories(bin);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Host host() {
        return new Host(root, List.of(bin), Duration.ofSeconds(60));
    }

    /** Writes a file under the root, e.g. file("/proc/asound/cards", "..."). */
    FakeMachine file(String absolute, String content) {
        try {
            Path p = root.resolve(absolute.substring(1));
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fake command on the search path: a POSIX shell script with this body. */
    FakeMachine command(String name, String body) {
        try {
            Path p = bin.resolve(name);
            Files.writeString(p, "#!/bin/sh\n" + body + "\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A command that prints this text (standard output) and exits with this status. */
    FakeMachine printing(String name, String text, int exit) {
        return command(name, "cat <<'EOF'\n" + text + "\nEOF\nexit " + exit);
    }

    /** Settings as run loads them from a beeper.yaml holding {@code yaml}, with the data folder in the temp dir. */
    BeeperConfig config(String yaml) {
        try {
            Path file = dir.resolve("beeper.yaml");
            Files.writeString(file, yaml);
            return new ConfigLoader().load(file, Map.of(), Map.of("data.dir", dir.resolve("data").toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Settings YAML putting every port the hub listens on at a free one, so a test never meets another's hub. */
    static String freePorts() {
        return "web:\n  host: 127.0.0.1\n  port: " + io.beeperkeeper.Ports.freePort() + "\n"
                + "mqtt:\n  port: " + io.beeperkeeper.Ports.freePort() + "\n"
                + "webrtc:\n  udpHost: 127.0.0.1\n  udpPort: " + freeUdpPort(false) + "\n"
                + "rtsp:\n  host: 127.0.0.1\n  port: " + io.beeperkeeper.Ports.freePort() + "\n  udpPort: " + freeUdpPort(true) + "\n";
    }

    /** A free UDP port on loopback (even, with the next one free too, for RTSP's pair). */
    static int freeUdpPort(boolean evenPair) {
        for (int i = 0; i < 200; i++) {
            try (var s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
                int p = s.getLocalPort();
                if (!evenPair) {
                    return p;
                }
                if (p % 2 == 0 && p < 65534) {
                    try (var next = new java.net.DatagramSocket(p + 1, java.net.InetAddress.getLoopbackAddress())) {
                        return p;
                    } catch (IOException taken) {
                        // try another
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free UDP port pair on loopback");
    }

    /** The findings and plan of one probe. */
    static Report run(Probe probe, BeeperConfig config) {
        Findings out = new Findings();
        probe.probe(config, out);
        return out.report();
    }
}

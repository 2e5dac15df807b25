package io.beeperkeeper.cli;

import io.beeperkeeper.Main;
import io.beeperkeeper.Ports;
import io.beeperkeeper.feature.Threads;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The hub a benchmark measures when the keeper names none: started exactly as {@code ./beeper run}
 * starts it (this JVM's options, which the launcher set; the same jar; the default settings and test
 * cameras) in its own work folder, with its web, broker, WebRTC and RTSP ports free ones, so a hub
 * already running on this machine is neither disturbed nor measured. Its log is {@code hub.log} in the
 * work folder, written by the benchmark from the hub's output pipe.
 */
final class BenchHub implements AutoCloseable {
    private final Process process;
    private final int webPort;
    private final Path work;

    private BenchHub(Process process, int webPort, Path work) {
        this.process = process;
        this.webPort = webPort;
        this.work = work;
    }

    /** Starts a hub with its data in {@code work/data}; {@code env} adds settings ({@code BEEPER_*}). */
    static BenchHub start(Path work, Map<String, String> env) throws IOException {
        Files.createDirectories(work);
        BenchMachine.deleteTree(work.resolve("data")); // a fresh hub, as on a new install
        int port = Ports.freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-agentlib:") && !arg.startsWith("-javaagent:")) {
                cmd.add(arg);
            }
        }
        cmd.addAll(mainCommand());
        cmd.addAll(List.of("run", "--port", String.valueOf(port), "--data", work.resolve("data").toAbsolutePath().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true);
        // the keeper's own settings are not the defaults this measures
        pb.environment().keySet().removeIf(k -> k.startsWith("BEEPER_"));
        pb.environment().put("BEEPER_MQTT_PORT", String.valueOf(Ports.freePort()));
        pb.environment().put("BEEPER_WEBRTC_UDP_PORT", String.valueOf(Ports.freePort()));
        pb.environment().put("BEEPER_RTSP_PORT", "0");
        pb.environment().put("BEEPER_RTSP_UDP_PORT", "0");
        pb.environment().putAll(env);
        Process p = pb.start();
        // The log goes through a pipe, as the service's goes to the journal: written by this process, not
        // the hub, so a benchmark of the hub's disk writes does not count it.
        Path log = work.resolve("hub.log");
        Threads.start("bench-hub-log", () -> {
            try (InputStream in = p.getInputStream(); OutputStream o = Files.newOutputStream(log)) {
                in.transferTo(o);
            } catch (IOException ignored) {
                // the hub is gone
            }
        });
        return new BenchHub(p, port, work);
    }

    /** {@code -jar JAR} when this runs from the jar, else the class path and the main class. */
    private static List<String> mainCommand() throws IOException {
        Path code;
        try {
            code = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the hub's jar", e);
        }
        if (Files.isRegularFile(code)) {
            return List.of("-jar", code.toAbsolutePath().toString());
        }
        return List.of("-cp", System.getProperty("java.class.path"), Main.class.getName());
    }

    String base() {
        return "http://127.0.0.1:" + webPort;
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    Path dataDir() {
        return work.resolve("data");
    }

    Path log() {
        return work.resolve("hub.log");
    }

    /** Stops the hub as systemd does (SIGTERM, so it flushes what it holds), then its camera processes. */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        children.forEach(ProcessHandle::destroy);
    }
}

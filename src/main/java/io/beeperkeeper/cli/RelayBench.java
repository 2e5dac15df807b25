package io.beeperkeeper.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * {@code beeper bench relay}: what MSE-over-WebSocket viewers cost the whole hub, for a keeper who
 * wants to know how many viewers their Pi can feed. It measures a hub as a user runs it: the one at
 * {@code --url} (its process found by its listening port, or named with {@code --pid}), or one it starts
 * itself exactly as {@code ./beeper run} would (this JVM's options, which the launcher set, the same
 * jar, the default test cameras) on free ports in a scratch folder. The viewers come from
 * {@link RelayLoad} in another JVM, so the load client's own CPU is not counted. For each step it reads
 * the hub's CPU time from {@code /proc/<pid>/stat} over a steady window and its RSS, and prints CPU % of
 * one core, the cost per viewer-stream over the no-viewer figure, and the machine's load average (other
 * programs on the machine make the figures noisier). Prints figures, fails nothing.
 */
final class RelayBench {
    /** What to measure, from the command line. */
    record Settings(String url, Long pid, boolean start, List<Integer> viewers, int seconds, int settleSeconds,
                    boolean threads, boolean offerDeflate, int warmupSeconds) {
    }

    /** One measured step. */
    record Step(int perCamera, int streams, double cpuPercent, double userPercent, double rssMiB, double mbps,
                double messagesPerStreamSecond, LoadStats load) {
    }

    /**
     * The load client's counts: sockets the hub dropped, ones that failed in the client, ones that never
     * connected, upgrades refused and retried (media.maxConnectsPerSecond), the client's longest lag
     * behind the hub over the step, and why sockets ended.
     */
    record LoadStats(long bytes, long messages, long open, long hubDropped, long clientFailed, long connectFailed,
                     long refusedAttempts, long maxLagMs, String reasons) {
        static LoadStats parse(String line) throws IOException {
            if (line == null || !line.startsWith("stats ")) {
                throw new IOException("the load client answered " + line);
            }
            int bar = line.indexOf(" | ");
            String[] f = (bar < 0 ? line : line.substring(0, bar)).split(" ");
            long[] n = new long[8];
            for (int i = 0; i < n.length; i++) {
                n[i] = Long.parseLong(f[i + 1]);
            }
            return new LoadStats(n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], bar < 0 ? "" : line.substring(bar + 3).trim());
        }

        /** What went wrong with the sockets so far, or nothing when all stayed open. */
        String note() {
            String refused = refusedAttempts == 0 ? "" : String.format(Locale.ROOT,
                    "  (%d upgrades refused over media.maxConnectsPerSecond and retried)", refusedAttempts);
            if (hubDropped + clientFailed + connectFailed == 0) {
                return refused;
            }
            return String.format(Locale.ROOT, "  (sockets: %d dropped by the hub, %d failed in the load client, %d never connected: %s)",
                    hubDropped, clientFailed, connectFailed, reasons) + refused;
        }
    }


    private final Settings settings;
    private final PrintWriter out;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    RelayBench(Settings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    /** Runs the steps and prints the table; the exit code of the command. */
    int run() throws Exception {
        Process hub = null;
        Path scratch = null;
        String base;
        long pid;
        if (settings.start() || (settings.url() == null && !answers(defaultUrl()))) {
            scratch = Files.createTempDirectory("beeper-bench-relay");
            int port = freePort();
            hub = startHub(scratch, port);
            base = "http://127.0.0.1:" + port;
            pid = hub.pid();
            out.printf(Locale.ROOT, "started a hub as ./beeper run would (pid %d, %s, log %s)%n", pid, base, scratch.resolve("hub.log"));
        } else {
            base = stripSlash(settings.url() == null ? defaultUrl() : settings.url());
            if (!answers(base)) {
                out.println("beeper bench relay: no hub answers at " + base + "/api/cameras; start one with ./beeper run, "
                        + "or leave out --url to let the benchmark start its own");
                return 1;
            }
            OptionalLong found = settings.pid() != null ? OptionalLong.of(settings.pid()) : ProcessFigures.listeningPid(URI.create(base).getPort());
            if (found.isEmpty()) {
                out.println("beeper bench relay: cannot find the process listening on " + base + " (another user's, or not on this "
                        + "machine); name it with --pid PID");
                return 1;
            }
            pid = found.getAsLong();
        }
        out.flush();
        Process load = null;
        try {
            List<String> cameras = awaitLiveCameras(base, hub);
            if (hub != null) {
                sleep(settings.settleSeconds() * 2); // the fresh JVM compiles its hot paths first
            }
            load = startLoad(base, cameras, settings.offerDeflate());
            BufferedReader loadOut = new BufferedReader(new InputStreamReader(load.getInputStream(), StandardCharsets.UTF_8));
            PrintStream loadIn = new PrintStream(load.getOutputStream(), true, StandardCharsets.UTF_8);
            // One viewer a camera for a moment first: the no-viewer step is then a hub that has served a
            // page before (classes loaded, heap sized), as a running hub is, not one nobody ever watched.
            loadIn.println("viewers 1");
            String warmed = loadOut.readLine();
            if (warmed == null || !warmed.startsWith("ready")) {
                out.println("beeper bench relay: the load client failed: " + warmed);
                return 1;
            }
            sleep(settings.settleSeconds());
            out.printf(Locale.ROOT, "hub pid %d at %s, cameras %s; %d s per step after %d s settling; viewers %s; load average %s%n",
                    pid, base, String.join(", ", cameras), settings.seconds(), settings.settleSeconds(),
                    settings.offerDeflate() ? "offer permessage-deflate as browsers do" : "offer no extension", BenchMachine.loadAverage());
            out.printf(Locale.ROOT, "%8s %8s %9s %8s %11s %8s %9s %8s %9s %7s %s%n", "viewers", "streams", "CPU %", "user %",
                    "%/stream", "RSS MiB", "+RSS MiB", "Mbit/s", "msg/s/st", "us/msg", "load avg");
            out.flush();
            List<Integer> steps = new ArrayList<>();
            steps.add(0);
            settings.viewers().stream().filter(n -> n > 0).forEach(steps::add);
            Step idle = null;
            for (int perCamera : steps) {
                loadIn.println("viewers " + perCamera);
                String ready = loadOut.readLine();
                if (ready == null || !ready.startsWith("ready")) {
                    out.println("beeper bench relay: the load client failed: " + ready);
                    return 1;
                }
                sleep(settings.settleSeconds());
                if (perCamera == 0) {
                    warmUp(pid);
                }
                Step s = measure(pid, perCamera, cameras.size(), loadIn, loadOut);
                if (idle == null) {
                    idle = s;
                }
                double perStream = s.streams() == 0 ? Double.NaN : (s.cpuPercent() - idle.cpuPercent()) / s.streams();
                // What one delivered message costs: comparable between runs where viewers kept up and ones where they skipped.
                double perMessage = s.streams() == 0 || s.messagesPerStreamSecond() == 0 ? Double.NaN
                        : (s.cpuPercent() - idle.cpuPercent()) / 100 * 1e6 / (s.messagesPerStreamSecond() * s.streams());
                out.printf(Locale.ROOT, "%8d %8d %9.2f %8.2f %11s %8.1f %9.1f %8.1f %9.1f %7s %s%s%n", perCamera, s.streams(),
                        s.cpuPercent(), s.userPercent(), Double.isNaN(perStream) ? "-" : String.format(Locale.ROOT, "%.3f", perStream),
                        s.rssMiB(), s.rssMiB() - idle.rssMiB(), s.mbps(), s.messagesPerStreamSecond(),
                        Double.isNaN(perMessage) ? "-" : String.format(Locale.ROOT, "%.1f", perMessage), BenchMachine.loadAverage(),
                        (s.streams() > 0 ? String.format(Locale.ROOT, "  client lag max %d ms", s.load().maxLagMs()) : "") + s.load().note());
                out.flush();
            }
            loadIn.println("quit");
            out.println("CPU % is of one core, the hub's JVM only (camera encoders and the load client are other processes);");
            out.println("%/stream = (CPU % - CPU % with no viewer) / viewer-streams; msg/s/st = WebSocket messages per stream a second;");
            out.println("us/msg = hub CPU microseconds over the no-viewer step per binary message delivered (viewers that fall behind get fewer).");
            out.flush();
            return 0;
        } finally {
            if (load != null) {
                load.destroy();
            }
            if (hub != null) {
                hub.destroy();
                if (!hub.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                    hub.destroyForcibly();
                }
                hub.descendants().forEach(ProcessHandle::destroy);
            }
            if (scratch != null) {
                BenchMachine.deleteTree(scratch.resolve("data")); // the log stays for a look afterwards
            }
        }
    }

    /**
     * Before the no-viewer step: waits until the hub is at least {@code --warmup} seconds old and its JIT
     * compiler has been quiet for a window ({@link #QUIET_TICKS} or less in {@link #QUIET_WINDOW_SECONDS} s),
     * so the step measures a settled hub, not one still compiling its hot paths (a fresh hub's compiler
     * alone is ~0.4 % of a core in its first minute). A hub that runs already is waited for the same way.
     * Gives up {@link #MAX_EXTRA_WARMUP_SECONDS} s past the warm-up, and says so.
     */
    private void warmUp(long pid) throws Exception {
        if (settings.warmupSeconds() <= 0) {
            return;
        }
        long started = System.nanoTime();
        double age = ProcessFigures.ageSeconds(pid);
        long toWait = (long) Math.ceil(settings.warmupSeconds() - QUIET_WINDOW_SECONDS - age);
        if (toWait > 0) {
            Thread.sleep(toWait * 1000);
        }
        long limit = System.nanoTime() + Duration.ofSeconds(MAX_EXTRA_WARMUP_SECONDS).toNanos();
        long quiet;
        do {
            Map<String, Long> c0 = ProcessFigures.compilerTicks(pid);
            sleep(QUIET_WINDOW_SECONDS);
            // per thread: the JVM starts and ends compiler threads as their work comes and goes
            quiet = ProcessFigures.compilerTicks(pid).entrySet().stream().mapToLong(e -> e.getValue() - c0.getOrDefault(e.getKey(), 0L)).sum();
        } while ((quiet > QUIET_TICKS || ProcessFigures.ageSeconds(pid) < settings.warmupSeconds()) && System.nanoTime() < limit);
        out.printf(Locale.ROOT, "warmed up: waited %.0f s, the hub is %.0f s old; its compiler used %.2f %% of a core in the last %d s%s%n",
                (System.nanoTime() - started) / 1e9, ProcessFigures.ageSeconds(pid), quiet * 100.0 / ProcessFigures.TICKS_PER_SECOND / QUIET_WINDOW_SECONDS,
                QUIET_WINDOW_SECONDS, quiet > QUIET_TICKS ? " (still compiling; gave up waiting)" : "");
        out.flush();
    }

    private static final int QUIET_WINDOW_SECONDS = 20;
    private static final long QUIET_TICKS = 1;
    private static final int MAX_EXTRA_WARMUP_SECONDS = 120;

    private Step measure(long pid, int perCamera, int cameraCount, PrintStream loadIn, BufferedReader loadOut) throws Exception {
        LoadStats stats0 = loadStats(loadIn, loadOut);
        long[] cpu0 = ProcessFigures.cpuTicks(pid);
        Map<String, Long> threads0 = settings.threads() ? ProcessFigures.threadTicks(pid) : Map.of();
        long t0 = System.nanoTime();
        sleep(settings.seconds());
        long[] cpu1 = ProcessFigures.cpuTicks(pid);
        double secs = (System.nanoTime() - t0) / 1e9;
        LoadStats stats1 = loadStats(loadIn, loadOut);
        int streams = perCamera * cameraCount;
        double total = ((cpu1[0] + cpu1[1]) - (cpu0[0] + cpu0[1])) * 100.0 / ProcessFigures.TICKS_PER_SECOND / secs;
        double user = (cpu1[0] - cpu0[0]) * 100.0 / ProcessFigures.TICKS_PER_SECOND / secs;
        double mbps = (stats1.bytes() - stats0.bytes()) * 8 / 1e6 / secs;
        double msgs = streams == 0 ? 0 : (stats1.messages() - stats0.messages()) / secs / streams;
        if (settings.threads()) {
            printThreads(threads0, ProcessFigures.threadTicks(pid), secs);
        }
        return new Step(perCamera, streams, total, user, ProcessFigures.rssKiB(pid) / 1024.0, mbps, msgs, stats1);
    }

    private void printThreads(Map<String, Long> before, Map<String, Long> after, double secs) {
        Map<String, Double> byName = new LinkedHashMap<>();
        after.forEach((key, ticks) -> {
            long d = ticks - before.getOrDefault(key, 0L);
            if (d > 0) {
                String name = key.substring(key.indexOf(' ') + 1).replaceAll("\\d+$", "#");
                byName.merge(name, d * 100.0 / ProcessFigures.TICKS_PER_SECOND / secs, Double::sum);
            }
        });
        byName.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(12)
                .forEach(e -> out.printf(Locale.ROOT, "           thread %-20s %6.2f %%%n", e.getKey(), e.getValue()));
    }

    private static LoadStats loadStats(PrintStream in, BufferedReader out) throws IOException {
        in.println("stats");
        return LoadStats.parse(out.readLine());
    }

    private String defaultUrl() {
        return "http://127.0.0.1:8080";
    }

    private boolean answers(String base) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(stripSlash(base) + "/api/cameras")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private List<String> awaitLiveCameras(String base, Process hub) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            if (hub != null && !hub.isAlive()) {
                throw new IllegalStateException("the hub stopped at start; see its log");
            }
            List<String> live = new ArrayList<>();
            boolean pending = false;
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/cameras")).build(),
                        HttpResponse.BodyHandlers.ofString());
                for (JsonNode camera : json.readTree(r.body())) {
                    if (camera.path("state").asText().equals("live")) {
                        live.add(camera.path("name").asText());
                    } else {
                        pending = true;
                    }
                }
            } catch (IOException e) {
                pending = true; // not listening yet
            }
            if (!live.isEmpty() && (!pending || System.nanoTime() > deadline)) {
                return live;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no camera of the hub at " + base + " went live within 90 s");
            }
            Thread.sleep(250);
        }
    }

    /** A hub as {@code ./beeper run} starts it: this JVM's options (the launcher's), free ports, its own data folder. */
    private static Process startHub(Path scratch, int port) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-agentlib:") && !arg.startsWith("-javaagent:")) {
                cmd.add(arg);
            }
        }
        cmd.addAll(mainCommand("io.beeperkeeper.Main"));
        cmd.add("run");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(scratch.toFile())
                .redirectErrorStream(true).redirectOutput(scratch.resolve("hub.log").toFile());
        pb.environment().put("BEEPER_WEB_PORT", Integer.toString(port));
        pb.environment().put("BEEPER_DATA_DIR", scratch.resolve("data").toString());
        pb.environment().put("BEEPER_MQTT_PORT", Integer.toString(freePort()));
        pb.environment().put("BEEPER_WEBRTC_UDP_PORT", Integer.toString(freePort()));
        pb.environment().put("BEEPER_RTSP_PORT", "0");
        pb.environment().put("BEEPER_RTSP_UDP_PORT", "0");
        return pb.start();
    }

    private static Process startLoad(String base, List<String> cameras, boolean offerDeflate) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(javaExecutable(), "-Xmx128m", "-XX:+UseSerialGC", "-Xss512k"));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(RelayLoad.class.getName());
        cmd.add(base.replaceFirst("^http", "ws"));
        cmd.add(String.join(",", cameras));
        if (!offerDeflate) {
            cmd.add("no-deflate");
        }
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** {@code -jar JAR} when this runs from the jar, else the class path and the main class. */
    private static List<String> mainCommand(String mainClass) {
        String cp = System.getProperty("java.class.path");
        if (cp.endsWith(".jar") && !cp.contains(java.io.File.pathSeparator)) {
            return List.of("-jar", cp);
        }
        return List.of("-cp", cp, mainClass);
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static void sleep(int seconds) throws InterruptedException {
        Thread.sleep(seconds * 1000L);
    }
}

package io.beeperkeeper.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark: memory the hub spends on idle SSE connections (pages left open). Starts the real hub
 * ({@code io.beeperkeeper.Main run}, simulated sensors) as a child JVM with a fixed heap, measures its heap after a full
 * GC and its RSS, opens N connections to {@code GET /api/events} from this process, waits, and
 * measures again. Prints the figures; never fails on them.
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp target/classes:target/test-classes:$(cat /tmp/cp.txt) io.beeperkeeper.bench.SseMemoryBench [connections]
 * </pre>
 */
public final class SseMemoryBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Path dir = Files.createTempDirectory("sse-bench");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path yaml = dir.resolve("beeper.yaml");
        Files.writeString(yaml, "web:\n  host: 127.0.0.1\n  port: " + port + "\ndata:\n  dir: " + dir.resolve("data")
                + "\nmqtt:\n  port: 0\nsensors:\n  mode: simulated\n");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "io.beeperkeeper.Main", "run", "--config", yaml.toString());
        Process hub = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("hub.log").toFile()).start();
        List<Socket> sockets = new ArrayList<>();
        try {
            String base = "http://127.0.0.1:" + port;
            waitUp(base + "/api/health", hub);
            Thread.sleep(3000);
            Measure before = measure(hub.pid());
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write(("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: text/event-stream\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                sockets.add(s);
            }
            int ok = 0;
            for (Socket s : sockets) {
                if (readStatusLine(s.getInputStream()).contains(" 200")) {
                    ok++;
                }
            }
            double openSeconds = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(5000);
            Measure after = measure(hub.pid());
            System.out.printf("SSE connections open: %d of %d (%.1f s to open)%n", ok, n, openSeconds);
            System.out.printf("hub heap after full GC: %.1f MiB -> %.1f MiB (+%.1f MiB, %.1f KiB per connection)%n",
                    before.heapKb / 1024.0, after.heapKb / 1024.0, (after.heapKb - before.heapKb) / 1024.0,
                    (after.heapKb - before.heapKb) / (double) n);
            System.out.printf("hub RSS: %.1f MiB -> %.1f MiB (+%.1f MiB, %.1f KiB per connection)%n",
                    before.rssKb / 1024.0, after.rssKb / 1024.0, (after.rssKb - before.rssKb) / 1024.0,
                    (after.rssKb - before.rssKb) / (double) n);
            System.out.printf("hub threads: %d -> %d%n", before.threads, after.threads);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
            hub.destroy();
            if (!hub.waitFor(10, TimeUnit.SECONDS)) {
                hub.destroyForcibly();
            }
        }
    }

    record Measure(long heapKb, long rssKb, long threads) {
    }

    static Measure measure(long pid) throws Exception {
        run("jcmd", Long.toString(pid), "GC.run");
        Thread.sleep(1000);
        long heap = 0;
        for (String line : run("jcmd", Long.toString(pid), "GC.heap_info")) {
            // " def new generation   total 4928K, used 1234K [...]" and " tenured generation   total ..., used ...K"
            int u = line.indexOf("used ");
            if ((line.contains("generation") || line.contains("garbage-first heap")) && u > 0) {
                String v = line.substring(u + 5).split("[K ,]")[0];
                heap += Long.parseLong(v);
            }
        }
        long rss = 0;
        long threads = 0;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("\\D", ""));
            }
            if (line.startsWith("Threads:")) {
                threads = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return new Measure(heap, rss, threads);
    }

    static List<String> run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String l;
            while ((l = r.readLine()) != null) {
                lines.add(l);
            }
        }
        p.waitFor();
        return lines;
    }

    static String readStatusLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            sb.append((char) c);
        }
        return sb.toString();
    }

    static void waitUp(String url, Process hub) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!hub.isAlive()) {
                throw new IllegalStateException("the hub exited with " + hub.exitValue());
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
                c.setConnectTimeout(1000);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the hub did not answer " + url + " within 60 s");
    }
}

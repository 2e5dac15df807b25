package io.beeperkeeper.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.Main;
import io.beeperkeeper.Ports;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code beeper bench glass}: glass-to-glass latency of every test camera over each protocol the page
 * plays (WebRTC, MSE, LL-HLS), as a viewer sees it. It starts the whole hub the way {@code ./beeper run}
 * does (this JVM's options, which the launcher set, and the default cameras {@code csi} and
 * {@code usb}) or uses a running one, opens the hub's own page in headless Chromium, and takes
 * screenshots of each camera's video. Latency is the moment of the screenshot (the midpoint of the
 * screenshot call) minus the UTC time the test camera drew on the frame when ffmpeg made it, read
 * afterwards with tesseract so the reading costs nothing during capture. Stalls are counted too: the
 * video element's {@code waiting} events and its dropped frames ({@code getVideoPlaybackQuality()}).
 * The {@code cdn} row plays LL-HLS through a caching proxy the bench starts ({@link CachingProxy}).
 */
final class GlassBench {
    /** The page's protocols: its default (WebRTC where the hub offers it), then the forced ones. */
    enum Protocol {
        WEBRTC("WebRTC", "", "WebRTC"), MSE("MSE", "?protocol=mse", "MSE"),
        /** MSE with a camera's sound in the picture's SourceBuffer, as browsers without WebCodecs audio play it. */
        MSE1("MSE/1 buffer", "?protocol=mse&sound=mse", "MSE"),
        HLS("LL-HLS", "?protocol=hls", "LL-HLS"),
        /** LL-HLS with the page and its media fetched through a caching proxy (nginx proxy_cache), as behind a CDN. */
        CDN("LL-HLS/cache", "?protocol=hls", "LL-HLS");

        final String label;
        final String query;
        final String badge;

        Protocol(String label, String query, String badge) {
            this.label = label;
            this.query = query;
            this.badge = badge;
        }
    }

    /** @param soakSeconds how long each protocol plays, its stalls counted, before the screenshots (they count too) */
    record Options(String url, int shots, Path dir, List<Protocol> protocols, String chromedriver, int soakSeconds) {
    }

    /**
     * @param player    what an LL-HLS player made of the stream at the end (hls.js's delay, its target, the page's margin), else empty
     * @param behindMs  median of (newest frame the hub sent - the player's position) over the run, MSE only (else NaN)
     * @param stalledMs how long the waiting events lasted in all (waiting to playing)
     * @param sound     the page's own sound player, MSE only: sound minus picture (ms, as scheduled) and its gaps
     */
    record Row(String camera, Protocol protocol, List<Double> latencies, int shots, double shotHalfMs, long waiting,
               long dropped, long frames, String badge, String player, String loadBefore, String loadAfter, double behindMs,
               long seeks, long stalledMs, String sound) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double CLOCK_WIDTH = 0.66;  // the drawn clock's share of the frame, top left
    private static final double CLOCK_HEIGHT = 0.16;

    private final Options options;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newHttpClient();

    GlassBench(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    int run() throws Exception {
        Files.createDirectories(options.dir());
        Process hub = null;
        CachingProxy proxy = null;
        String base = options.url();
        try {
            if (base == null) {
                int port = Ports.freePort();
                hub = startHub(port);
                base = "http://127.0.0.1:" + port;
                out.println("hub: " + String.join(" ", hub.info().arguments().map(List::of).orElse(List.of()))
                        .replaceAll("-cp \\S+", "-cp ..."));
            }
            List<String> cameras = awaitTestCameras(base, hub);
            out.printf(Locale.ROOT, "hub %s, test cameras %s, %d screenshots per camera and protocol; load %s%n",
                    base, cameras, options.shots(), BenchMachine.loadAverage());
            List<Row> rows = new ArrayList<>();
            if (options.protocols().contains(Protocol.CDN)) {
                proxy = CachingProxy.start(options.dir().resolve("nginx"), URI.create(base).getPort());
                out.println("caching proxy (nginx proxy_cache) at " + proxy.url() + " in front of " + base);
            }
            try (WebDriverClient browser = WebDriverClient.start(options.chromedriver())) {
                for (Protocol p : options.protocols()) {
                    try {
                        List<Row> measured = measure(browser, p == Protocol.CDN ? proxy.url() : base, cameras, p);
                        rows.addAll(measured);
                        out.printf(Locale.ROOT, "%s done: %s%n", p.label, measured.stream().map(r -> r.camera() + " median "
                                + Math.round(BenchMachine.percentile(r.latencies(), 50)) + " ms").toList());
                    } catch (IOException e) {
                        // One protocol that does not play on a starved machine leaves the others' figures standing.
                        out.println(p.label + ": no figures, " + e.getMessage());
                    }
                    out.flush();
                }
            }
            print(rows);
            return 0;
        } finally {
            if (proxy != null) {
                proxy.close();
            }
            if (hub != null) {
                hub.destroy();
                if (!hub.waitFor(15, TimeUnit.SECONDS)) {
                    hub.destroyForcibly();
                }
            }
        }
    }

    /** The hub as ./beeper run starts it: this JVM's options, the same jar, the default settings. */
    private Process startHub(int port) throws IOException {
        Path work = options.dir().resolve("hub");
        BenchMachine.deleteTree(work);
        Files.createDirectories(work);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        Path code;
        try {
            code = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException("cannot locate the hub's jar", e);
        }
        if (Files.isRegularFile(code)) {
            cmd.addAll(List.of("-jar", code.toAbsolutePath().toString()));
        } else {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        }
        cmd.addAll(List.of("run", "--port", String.valueOf(port), "--data", work.resolve("data").toAbsolutePath().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("hub.log").toFile());
        // Other hubs on this machine may hold the default broker and WebRTC ports.
        pb.environment().put("BEEPER_MQTT_PORT", String.valueOf(Ports.freePort()));
        pb.environment().put("BEEPER_WEBRTC_UDP_PORT", String.valueOf(Ports.freePort()));
        pb.environment().put("BEEPER_RTSP_PORT", "0");
        pb.environment().put("BEEPER_RTSP_UDP_PORT", "0");
        pb.environment().keySet().removeIf(k -> k.startsWith("BEEPER_CAMERAS"));
        return pb.start();
    }

    private List<String> awaitTestCameras(String base, Process hub) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (hub != null && !hub.isAlive()) {
                throw new IOException("the hub exited (" + hub.exitValue() + "); see " + options.dir().resolve("hub/hub.log"));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/cameras")).build(),
                        HttpResponse.BodyHandlers.ofString());
                last = r.body();
                if (r.statusCode() == 200) {
                    List<String> test = new ArrayList<>();
                    boolean allLive = true;
                    for (JsonNode c : JSON.readTree(r.body())) {
                        if (c.path("source").asText().equals("test")) {
                            test.add(c.path("name").asText());
                            allLive &= c.path("state").asText().equals("live");
                        }
                    }
                    if (!test.isEmpty() && allLive) {
                        return test;
                    }
                    if (test.isEmpty() && r.body().startsWith("[")) {
                        throw new IOException("the hub at " + base + " has no test camera (source: test): only they draw the clock");
                    }
                }
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().contains("no test camera")) {
                    throw e;
                }
                last = String.valueOf(e);
            }
            Thread.sleep(250);
        }
        throw new IOException("the test cameras did not go live within 120 s: " + last);
    }

    private List<Row> measure(WebDriverClient browser, String base, List<String> cameras, Protocol p) throws Exception {
        browser.open(base + "/" + p.query);
        awaitPlaying(browser, cameras, p);
        // Let the player settle at its live position before counting anything.
        Thread.sleep(p == Protocol.HLS || p == Protocol.CDN ? 8000 : 4000);
        browser.script("""
                const out = {};
                for (const v of document.querySelectorAll('video[data-camera]')) {
                  const q = v.getVideoPlaybackQuality();
                  const s = { waiting: 0, dropped0: q.droppedVideoFrames, total0: q.totalVideoFrames };
                  v.addEventListener('waiting', () => s.waiting++);
                  s.seeks = 0;
                  s.stalledMs = 0;
                  v.addEventListener('seeking', () => s.seeks++);
                  v.addEventListener('waiting', () => { s.since = performance.now(); });
                  v.addEventListener('playing', () => { if (s.since) s.stalledMs += performance.now() - s.since; s.since = 0; });
                  s.behind = [];
                  setInterval(() => {
                    const t = v.beeperPlayerTimes && v.beeperPlayerTimes();
                    if (t && t.length && !v.paused) s.behind.push((t[t.length - 1][0] - v.currentTime) * 1000);
                    if (s.behind.length > 20000) s.behind.splice(0, 10000);
                  }, 200);
                  out[v.dataset.camera] = s;
                }
                window.beeperGlassBench = out;""");
        if (options.soakSeconds() > 0) {
            out.printf(Locale.ROOT, "%s: playing %d s before the screenshots, counting stalls; load %s%n", p.label,
                    options.soakSeconds(), BenchMachine.loadAverage());
            out.flush();
            Thread.sleep(options.soakSeconds() * 1000L);
        }
        Map<String, Clip> clips = new LinkedHashMap<>();
        for (String c : cameras) {
            clips.put(c, clockClip(browser, c));
        }
        String loadBefore = BenchMachine.loadAverage();
        Path shotsDir = options.dir().resolve("shots").resolve(p.name().toLowerCase(Locale.ROOT));
        BenchMachine.deleteTree(shotsDir);
        Files.createDirectories(shotsDir);
        Map<String, List<Shot>> shots = new LinkedHashMap<>();
        cameras.forEach(c -> shots.put(c, new ArrayList<>()));
        for (int i = 0; i < options.shots(); i++) {
            for (String c : cameras) {
                Clip clip = clips.get(c);
                long before = epochMicros();
                byte[] png = browser.screenshot(clip.x(), clip.y(), clip.width(), clip.height());
                long after = epochMicros();
                Path file = shotsDir.resolve(c + "-" + i + ".png");
                writeForOcr(png, clip.upscale(), file);
                shots.get(c).add(new Shot(file, (before + after) / 2, (after - before) / 2));
            }
            // Irregular spacing samples every phase of the frame interval.
            Thread.sleep(60 + ThreadLocalRandom.current().nextInt(120));
        }
        JsonNode counters = browser.script("""
                const r = {};
                for (const v of document.querySelectorAll('video[data-camera]')) {
                  const s = window.beeperGlassBench[v.dataset.camera];
                  const q = v.getVideoPlaybackQuality();
                  const b = v.parentElement.querySelector('.video-badge');
                  const h = ((window.beeperVideoStats || {})[v.dataset.camera] || {}).hls || null;
                  const behind = [...s.behind].sort((x, y) => x - y);
                  const snd = v.beeperSound ? v.beeperSound.stats() : null;
                  r[v.dataset.camera] = { waiting: s.waiting, seeks: s.seeks, stalledMs: Math.round(s.stalledMs),
                    dropped: q.droppedVideoFrames - s.dropped0, frames: q.totalVideoFrames - s.total0,
                    badge: b ? b.textContent : '', hls: h, behind: behind.length ? behind[Math.floor(behind.length / 2)] : null,
                    sound: snd ? `a-v ${Math.round(snd.avOffsetMs)} ms, gaps ${snd.late}, resyncs ${snd.resyncs} of ${snd.decoded}`
                      : (v.dataset.sound === 'mse' ? 'in the SourceBuffer' : '') };
                }
                return r;""");
        String loadAfter = BenchMachine.loadAverage();
        List<Row> rows = new ArrayList<>();
        for (String c : cameras) {
            List<Shot> s = shots.get(c);
            List<OptionalLong> drawn = DrawnClock.read(s.stream().map(Shot::file).toList());
            List<Double> lat = new ArrayList<>();
            List<Double> half = new ArrayList<>();
            for (int i = 0; i < s.size(); i++) {
                if (drawn.get(i).isEmpty()) {
                    continue;
                }
                double ms = latencyMs(s.get(i).atMicros(), drawn.get(i).getAsLong());
                if (ms > -200 && ms < 30_000) { // anything else is a misread digit
                    lat.add(ms);
                    half.add(s.get(i).halfMicros() / 1000.0);
                }
            }
            lat.sort(Comparator.naturalOrder());
            half.sort(Comparator.naturalOrder());
            JsonNode k = counters.path(c);
            rows.add(new Row(c, p, lat, s.size(), BenchMachine.percentile(half, 50), k.path("waiting").asLong(), k.path("dropped").asLong(),
                    k.path("frames").asLong(), k.path("badge").asText(), hlsPlayer(k.path("hls")), loadBefore, loadAfter,
                    k.path("behind").isNumber() ? k.path("behind").asDouble() : Double.NaN, k.path("seeks").asLong(),
                    k.path("stalledMs").asLong(), k.path("sound").asText()));
        }
        return rows;
    }

    private record Shot(Path file, long atMicros, long halfMicros) {
    }

    /**
     * The LL-HLS player's own view (js/hls-player.js): hls.js's delay behind the playlist's live edge and
     * its target, the buffer ahead of the picture, the page's margin behind the newest part and the
     * stalls hls.js counted; empty for the other players.
     */
    static String hlsPlayer(JsonNode h) {
        if (h == null || !h.isObject()) {
            return "";
        }
        return String.format(Locale.ROOT, "hls.js %.2f/%.2f s ahead %.2f margin %.2f stalls %d",
                h.path("latency").asDouble(Double.NaN), h.path("target").asDouble(Double.NaN), h.path("ahead").asDouble(Double.NaN),
                h.path("margin").asDouble(Double.NaN), h.path("stalls").asLong());
    }

    private static void awaitPlaying(WebDriverClient browser, List<String> cameras, Protocol p) throws Exception {
        // A loaded machine takes its time: WebRTC's DTLS handshake alone took 10 s at load average 20.
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        Map<String, Double> lastTime = new LinkedHashMap<>();
        String state = "";
        while (System.nanoTime() < deadline) {
            int playing = 0;
            StringBuilder sb = new StringBuilder();
            for (String c : cameras) {
                JsonNode v = browser.script("const v = document.querySelector('video[data-camera=\"' + arguments[0] + '\"]');"
                        + "if (!v) return null; const b = v.parentElement.querySelector('.video-badge');"
                        + "return { ready: v.readyState, t: v.currentTime, badge: b ? b.textContent : '',"
                        + " via: v.dataset.protocol || (v.srcObject ? 'stream' : v.src ? 'src' : 'none') };", c);
                if (v == null || v.isNull()) {
                    sb.append(c).append(": no video; ");
                    continue;
                }
                double t = v.path("t").asDouble();
                boolean advancing = lastTime.containsKey(c) && t > lastTime.get(c);
                lastTime.put(c, t);
                String badge = v.path("badge").asText();
                sb.append(c).append(": ").append(badge).append(" (").append(v.path("via").asText()).append(") t=").append(t).append("; ");
                if (v.path("ready").asInt() >= 2 && advancing && badge.startsWith(p.badge)) {
                    playing++;
                }
            }
            state = sb.toString();
            if (playing == cameras.size()) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IOException("the page did not play every camera over " + p.label + " within 120 s: " + state);
    }

    /** Where a camera's drawn clock is on the page (CSS pixels), and how much smaller than the frame it shows. */
    private record Clip(double x, double y, double width, double height, double upscale) {
    }

    /** The clock's rectangle: top left of the picture inside the video element (letterboxed, object-fit contain). */
    private static Clip clockClip(WebDriverClient browser, String camera) throws IOException, InterruptedException {
        JsonNode r = browser.script("""
                const v = document.querySelector('video[data-camera="' + arguments[0] + '"]');
                v.scrollIntoView({ block: 'nearest' });
                const b = v.getBoundingClientRect();
                return { x: b.left, y: b.top, w: b.width, h: b.height, vw: v.videoWidth, vh: v.videoHeight,
                  iw: window.innerWidth, ih: window.innerHeight };""", camera);
        double w = r.path("w").asDouble();
        double h = r.path("h").asDouble();
        double vw = r.path("vw").asDouble(w);
        double vh = r.path("vh").asDouble(h);
        double scale = Math.min(w / vw, h / vh);
        double x0 = r.path("x").asDouble() + (w - vw * scale) / 2;
        double y0 = r.path("y").asDouble() + (h - vh * scale) / 2;
        double cw = Math.min(vw * scale * CLOCK_WIDTH, r.path("iw").asDouble() - x0);
        double ch = Math.min(vh * scale * CLOCK_HEIGHT, r.path("ih").asDouble() - y0);
        if (cw < 20 || ch < 8) {
            throw new IOException("camera " + camera + "'s clock is not inside the browser window: " + r);
        }
        return new Clip(Math.floor(x0), Math.floor(y0), Math.floor(cw), Math.floor(ch), scale < 1 ? 1 / scale : 1);
    }

    /** The screenshot enlarged back to the frame's own size when the page shows the video smaller (OCR needs the pixels). */
    private static void writeForOcr(byte[] png, double upscale, Path file) throws IOException {
        if (upscale <= 1.01) {
            Files.write(file, png);
            return;
        }
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        BufferedImage scaled = new BufferedImage((int) (img.getWidth() * upscale), (int) (img.getHeight() * upscale),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, scaled.getWidth(), scaled.getHeight(), null);
        g.dispose();
        ImageIO.write(scaled, "png", file.toFile());
    }

    /** Screenshot time minus drawn time, both as times of the UTC day (a run across midnight wraps). */
    static double latencyMs(long atEpochMicros, long drawnMsOfDay) {
        double atMsOfDay = Math.floorMod(atEpochMicros, 86_400_000_000L) / 1000.0;
        double d = atMsOfDay - drawnMsOfDay;
        if (d < -43_200_000) {
            d += 86_400_000;
        } else if (d > 43_200_000) {
            d -= 86_400_000;
        }
        return d;
    }

    private void print(List<Row> rows) {
        out.println();
        out.printf(Locale.ROOT, "%-6s %-12s %8s %8s %9s %8s %11s %9s %15s %8s  %-20s %s%n", "camera", "proto", "median", "p95", "read",
                "shot+/-", "wait/seeks", "stalled", "dropped/frames", "behind", "badge", "load (1/5/15 min) before -> after");
        for (Row r : rows) {
            out.printf(Locale.ROOT, "%-6s %-12s %5.0f ms %5.0f ms %4d/%-4d %5.0f ms %11s %6d ms %15s %8s  %-20s %s -> %s%s%n", r.camera(),
                    r.protocol().label, BenchMachine.percentile(r.latencies(), 50), BenchMachine.percentile(r.latencies(), 95), r.latencies().size(), r.shots(),
                    r.shotHalfMs(), r.waiting() + "/" + r.seeks(), r.stalledMs(), r.dropped() + "/" + r.frames(),
                    Double.isNaN(r.behindMs()) ? "-" : Math.round(r.behindMs()) + " ms", r.badge(), r.loadBefore(), r.loadAfter(),
                    r.sound().isEmpty() ? "" : "; sound: " + r.sound());
        }
        for (Row r : rows) {
            if (!r.player().isEmpty()) {
                out.printf(Locale.ROOT, "%-6s %-12s %s%n", r.camera(), r.protocol().label, r.player());
            }
        }
        out.printf(Locale.ROOT, "(latency = screenshot midpoint - UTC time drawn on the frame; shot+/- = half the screenshot call, "
                + "median; wait/seeks = waiting events / seeks, the player's own jumps among them; stalled = their total length;"
                + " behind = newest frame sent - the player's position, median (MSE); %s UTC)%n", Instant.now().atOffset(ZoneOffset.UTC).toLocalDateTime().withNano(0));
        out.flush();
    }

    /** Wall-clock microseconds: the millisecond clock anchored once, advanced by the nanosecond timer. */
    private static final long ANCHOR_MICROS = System.currentTimeMillis() * 1000;
    private static final long ANCHOR_NANOS = System.nanoTime();

    private static long epochMicros() {
        return ANCHOR_MICROS + (System.nanoTime() - ANCHOR_NANOS) / 1000;
    }
}

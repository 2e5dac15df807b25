package io.beeperkeeper.media.bench;

import io.beeperkeeper.web.Browser;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Media benchmark; prints figures, asserts nothing. Starts {@link BenchHub} in its own JVM, then:
 * <ol>
 *   <li>receive-to-present latency in headless Chromium over MSE (requestVideoFrameCallback's
 *       expected display time minus the hub's receive time of that frame), median and p95;</li>
 *   <li>glass-to-glass for MSE and LL-HLS: screenshots of the page, the wall clock drawn on the test
 *       camera read by tesseract, latency = screenshot time - drawn time;</li>
 *   <li>the hub JVM's CPU time per second and RSS with 1, 10 and 50 WebSocket viewers of both cameras.</li>
 * </ol>
 * Run: {@code mvn -q test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test
 * -Dexec.args="-cp %classpath io.beeperkeeper.media.bench.MediaBench 60"} (argument: seconds per
 * latency run ({@code -Dprofile=high} before {@code -cp} for High profile); then the SPS mode: x264 (default, SPS as x264 writes it), hw (SPS without VUI like
 * the Pi's hardware encoder, rewritten by the hub), hw-raw (the same, not rewritten); then
 * {@code latency} to skip LL-HLS and the load runs, or {@code hls} for LL-HLS only).
 */
public final class MediaBench {
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        String sps = args.length > 1 ? args[1] : "x264";
        boolean latencyOnly = args.length > 2 && args[2].equals("latency");
        boolean hlsOnly = args.length > 2 && args[2].equals("hls");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-Xss256k", "-XX:TieredStopAtLevel=1"));
        cmd.add("-Dsps=" + sps);
        cmd.add("-Dprofile=" + System.getProperty("profile", "baseline"));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchHub.class.getName()));
        Process hub = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(hub.getInputStream(), StandardCharsets.UTF_8));
            int port = -1;
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("PORT ")) {
                    port = Integer.parseInt(line.substring(5).trim());
                    break;
                }
            }
            Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
            drain.setDaemon(true);
            drain.start();
            String base = "http://127.0.0.1:" + port;
            awaitLive(base);
            System.out.printf(Locale.ROOT, "hub pid %d on %s, two test cameras 640x480@15 (usb with Opus), SPS mode %s, profile %s%n",
                    hub.pid(), base, sps, System.getProperty("profile", "baseline"));

            ChromeDriver chrome = Browser.start();
            try {
                if (!hlsOnly) {
                chrome.get(base + "/player.html");
                Thread.sleep(5000);
                JavascriptExecutor js = chrome;
                js.executeScript("for (const s of Object.values(window.beeperVideoStats || {})) s.samples = [];");
                Thread.sleep(seconds * 1000L);
                for (String cam : List.of("csi", "usb")) {
                    @SuppressWarnings("unchecked")
                    List<Number> samples = (List<Number>) js.executeScript("return window.beeperVideoStats['" + cam + "'].samples;");
                    List<Double> d = samples.stream().map(Number::doubleValue).sorted().toList();
                    System.out.printf(Locale.ROOT, "MSE receive->present %s: median %.0f ms, p95 %.0f ms (%d frames over %d s)%n",
                            cam, pct(d, 50), pct(d, 95), d.size(), seconds);
                }
                glassToGlass(chrome, "MSE", Math.min(seconds, 20));
                if (latencyOnly) {
                    return;
                }
                }
                chrome.get(base + "/player.html?protocol=hls");
                Thread.sleep(8000);
                glassToGlass(chrome, "LL-HLS (hls.js, lowLatencyMode)", Math.min(seconds, 20));
                if (hlsOnly) {
                    return;
                }
            } finally {
                chrome.quit();
            }

            for (int viewers : new int[] {1, 10, 50}) {
                load(hub.pid(), port, viewers);
            }
        } finally {
            hub.destroy();
            hub.waitFor(5, TimeUnit.SECONDS);
            hub.destroyForcibly();
        }
    }

    private static void awaitLive(String base) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 200; i++) {
            String body = http.send(HttpRequest.newBuilder(URI.create(base + "/api/cameras")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            if (body.split("\"state\":\"live\"", -1).length == 3) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("cameras did not go live");
    }

    private static final Pattern CLOCK = Pattern.compile("(\\d{2}):(\\d{2}):(\\d{2})[.,:](\\d{3})");

    /** Screenshots of the csi video; tesseract reads the drawn clock. */
    private static void glassToGlass(ChromeDriver chrome, String label, int seconds) throws Exception {
        WebElement video = chrome.findElement(By.cssSelector("#camera-csi video"));
        long midnight = LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        List<Double> lat = new ArrayList<>();
        List<Double> uncertainty = new ArrayList<>();
        int failed = 0;
        long end = System.currentTimeMillis() + seconds * 1000L;
        Path png = Files.createTempFile("g2g", ".png");
        while (System.currentTimeMillis() < end) {
            long before = System.currentTimeMillis();
            byte[] shot = video.getScreenshotAs(OutputType.BYTES);
            long after = System.currentTimeMillis();
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(shot));
            BufferedImage clock = img.getSubimage(0, 0, Math.min(img.getWidth(), img.getWidth() * 65 / 100),
                    Math.max(20, img.getHeight() * 18 / 100));
            ImageIO.write(clock, "png", png.toFile());
            Process t = new ProcessBuilder("tesseract", png.toString(), "stdout", "--psm", "7", "-c",
                    "tessedit_char_whitelist=0123456789:.").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String text = new String(t.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            t.waitFor();
            Matcher m = CLOCK.matcher(text.replace(" ", ""));
            if (m.find()) {
                long drawn = midnight + ((Long.parseLong(m.group(1)) * 60 + Long.parseLong(m.group(2))) * 60
                        + Long.parseLong(m.group(3))) * 1000 + Long.parseLong(m.group(4));
                double l = (before + after) / 2.0 - drawn;
                if (Math.abs(l) < 30_000) {
                    lat.add(l);
                    uncertainty.add((after - before) / 2.0);
                } else {
                    failed++;
                }
            } else {
                failed++;
            }
            Thread.sleep(300);
        }
        Files.deleteIfExists(png);
        Collections.sort(lat);
        Collections.sort(uncertainty);
        System.out.printf(Locale.ROOT, "glass-to-glass %s: median %.0f ms, p95 %.0f ms (%d screenshots read, %d unreadable, "
                + "screenshot timing +/- %.0f ms median)%n", label, pct(lat, 50), pct(lat, 95), lat.size(), failed, pct(uncertainty, 50));
    }

    /** N viewers of each camera, reading everything; the hub JVM's CPU per second and RSS. */
    private static void load(long pid, int port, int viewers) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        AtomicLong bytes = new AtomicLong();
        List<WebSocket> sockets = new ArrayList<>();
        for (int i = 0; i < viewers; i++) {
            for (String cam : List.of("csi", "usb")) {
                sockets.add(http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/cameras/" + cam + "/ws"),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                                bytes.addAndGet(data.remaining());
                                ws.request(1);
                                return null;
                            }
                        }).get(10, TimeUnit.SECONDS));
            }
        }
        Thread.sleep(3000);
        long cpu0 = cpuTicks(pid);
        long bytes0 = bytes.get();
        long t0 = System.nanoTime();
        Thread.sleep(15_000);
        double secs = (System.nanoTime() - t0) / 1e9;
        double cpuPerSec = (cpuTicks(pid) - cpu0) / 100.0 / secs;
        double mbps = (bytes.get() - bytes0) * 8 / 1e6 / secs;
        System.out.printf(Locale.ROOT, "load %2d viewers x 2 cameras: hub CPU %.1f %% of one core, RSS %d MB, %.1f Mbit/s delivered%n",
                viewers, cpuPerSec * 100, rssKb(pid) / 1024, mbps);
        for (WebSocket ws : sockets) {
            ws.abort();
        }
        Thread.sleep(1000);
    }

    private static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
    }

    private static long rssKb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static double pct(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    private MediaBench() {
    }

}

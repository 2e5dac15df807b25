package io.beeperkeeper.media.webrtc;

import io.beeperkeeper.web.webrtc.WhepModule;
import io.beeperkeeper.web.Browser;
import io.beeperkeeper.config.WebRtcConfig;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * WebRTC figures for the closing note (prints them; never a test):
 * <ul>
 *   <li>glass-to-glass latency: the test camera draws the UTC wall clock into each picture; headless
 *       Chromium plays it over WHEP on loopback; screenshots are taken for {@code seconds} and the
 *       clock in each is read with tesseract; latency = screenshot time - clock shown;</li>
 *   <li>hub CPU per viewer: process CPU time of this JVM (the hub side: parsing, packetizing, SRTP,
 *       sending; ffmpeg and Chromium are other processes) with 0, 1 and 10 WebRTC viewers.</li>
 * </ul>
 * Run: {@code mvn -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.beeperkeeper.media.webrtc.WebRtcBench -Dexec.args="60"} (add {@code audio} after the
 * seconds for a camera with an Opus tone)
 */
public final class WebRtcBench {
    private static final Pattern CLOCK = Pattern.compile("(\\d{2}):(\\d{2}):(\\d{2})[.,](\\d{3})");

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        boolean withAudio = args.length > 1 && args[1].equals("audio"); // lip sync must not delay the picture
        Path profile = Files.createTempDirectory("chromium-bench");
        try (TestCamera cam = new TestCamera("csi", withAudio, 15);
             WebRtcServer server = new WebRtcServer(new WebRtcConfig(true, "127.0.0.1", 0, "", 20, 30), n -> Optional.of(cam.stream()))) {
            Javalin web = Javalin.create(c -> {
                c.staticFiles.add("/web", Location.CLASSPATH);
                new WhepModule(server).register(c.routes);
                c.routes.get("/bench.html", ctx -> ctx.html("<!doctype html><html><head><link rel='icon' href='data:,'></head>"
                        + "<body style='margin:0;background:#000'><video id='v' muted playsinline width='640' height='480'></video>"
                        + "<div id='more' style='display:none'></div></body></html>"));
            });
            web.start("127.0.0.1", 0);
            while (cam.stream().tracks().isEmpty()) {
                Thread.sleep(100);
            }
            ChromeDriver chrome = Browser.start("--allow-loopback-in-peer-connection", "--window-size=800,700",
                    "--user-data-dir=" + profile);
            try {
                chrome.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
                chrome.get("http://127.0.0.1:" + web.port() + "/bench.html");
                Object r = chrome.executeAsyncScript("""
                        const done = arguments[arguments.length - 1];
                        import('/js/webrtc.js').then(async (m) => {
                          window.h = await m.playWhep(document.getElementById('v'), 'csi', { timeoutMs: 15000 });
                          done('ok');
                        }).catch((e) => done('error: ' + e.message));
                        """);
                if (!"ok".equals(r)) {
                    throw new IllegalStateException("WebRTC did not start: " + r);
                }
                Thread.sleep(3000);
                latency(chrome, seconds, withAudio);
                cpu(chrome, server);
            } finally {
                chrome.quit();
                web.stop();
            }
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0);
    }

    private static void latency(ChromeDriver chrome, int seconds, boolean withAudio) throws Exception {
        record Shot(long takenAtMs, byte[] png) {
        }
        List<Shot> shots = new ArrayList<>();
        long callMs = 0;
        long end = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < end) {
            long before = System.currentTimeMillis();
            byte[] png = chrome.getScreenshotAs(OutputType.BYTES);
            long after = System.currentTimeMillis();
            // The compositor frame is grabbed somewhere inside the call: take its midpoint.
            shots.add(new Shot((before + after) / 2, png));
            callMs += after - before;
            Thread.sleep(250);
        }
        List<Long> latencies = new ArrayList<>();
        int unreadable = 0;
        Path dir = Files.createTempDirectory("ocr");
        for (Shot s : shots) {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(s.png()));
            // The clock box drawn by the test camera (white on black at 20,20, 64 px), inverted for tesseract.
            BufferedImage crop = new BufferedImage(480, 80, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 80; y++) {
                for (int x = 0; x < 480; x++) {
                    int sx = x - 10 + 24;
                    int sy = y - 10 + 22;
                    boolean inBox = x >= 10 && x < 454 && y >= 10 && y < 58 && sx < img.getWidth() && sy < img.getHeight();
                    int rgb = inBox ? img.getRGB(sx, sy) : 0;
                    int grey = ((rgb >> 16 & 0xFF) + (rgb >> 8 & 0xFF) + (rgb & 0xFF)) / 3;
                    crop.getRaster().setSample(x, y, 0, grey > 128 ? 0 : 255); // black digits on white
                }
            }
            Path f = dir.resolve("shot.png");
            ImageIO.write(crop, "png", f.toFile());
            Process p = new ProcessBuilder("tesseract", f.toString(), "stdout", "--psm", "7", "-c",
                    "tessedit_char_whitelist=0123456789:.").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String text = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            Matcher m = CLOCK.matcher(text);
            if (!m.find()) {
                if (unreadable == 0) {
                    ImageIO.write(img, "png", new File("target/webrtc-unreadable.png"));
                    System.out.println("unreadable screenshot (saved as target/webrtc-unreadable.png): '" + text + "'");
                }
                unreadable++;
                continue;
            }
            long shownMs = LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)))
                    .toSecondOfDay() * 1000L + Integer.parseInt(m.group(4));
            long takenMs = LocalTime.ofInstant(java.time.Instant.ofEpochMilli(s.takenAtMs()), ZoneOffset.UTC).toNanoOfDay() / 1_000_000;
            long lat = takenMs - shownMs;
            if (lat > -1000 && lat < 10_000) {
                latencies.add(lat);
            } else {
                unreadable++;
            }
        }
        Files.deleteIfExists(dir.resolve("shot.png"));
        Files.deleteIfExists(dir);
        Collections.sort(latencies);
        if (latencies.isEmpty()) {
            System.out.println("latency: no readable screenshots out of " + shots.size());
            return;
        }
        System.out.printf("WebRTC glass-to-glass latency over %d s (loopback, 640x480@15 x264 ultrafast" + (withAudio ? " + Opus" : "") + "): median %d ms, p95 %d ms, "
                        + "min %d ms, max %d ms; %d screenshots read, %d unreadable; a screenshot call takes %d ms on average%n", seconds,
                latencies.get(latencies.size() / 2), latencies.get((int) Math.min(latencies.size() - 1, Math.round(latencies.size() * 0.95))),
                latencies.get(0), latencies.get(latencies.size() - 1), latencies.size(), unreadable, callMs / Math.max(1, shots.size()));
    }

    private static void cpu(ChromeDriver chrome, WebRtcServer server) throws Exception {
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double one = cpuPercent(os, 20);
        chrome.executeScript("window.h.close();");
        Thread.sleep(2000);
        double zero = cpuPercent(os, 20);
        Object r = chrome.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/js/webrtc.js').then(async (m) => {
                  window.hs = [];
                  for (let i = 0; i < 10; i++) {
                    const v = document.createElement('video'); v.muted = true; document.getElementById('more').appendChild(v);
                    window.hs.push(await m.playWhep(v, 'csi', { timeoutMs: 15000 }));
                  }
                  done('ok');
                }).catch((e) => done('error: ' + e.message));
                """);
        if (!"ok".equals(r)) {
            System.out.println("10 viewers did not start: " + r);
            return;
        }
        Thread.sleep(3000);
        double ten = cpuPercent(os, 20);
        System.out.printf("hub JVM CPU (%% of one core, includes the test camera's H.264/Ogg parsing): 0 viewers %.1f%%, "
                        + "1 viewer %.1f%%, 10 viewers %.1f%% (%d sessions) -> %.2f%% per viewer%n",
                zero, one, ten, server.sessionCount(), (ten - zero) / 10);
    }

    private static double cpuPercent(com.sun.management.OperatingSystemMXBean os, int seconds) throws InterruptedException {
        long c0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        return 100.0 * (os.getProcessCpuTime() - c0) / (System.nanoTime() - t0);
    }
}

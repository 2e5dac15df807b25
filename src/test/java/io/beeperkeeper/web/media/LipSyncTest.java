package io.beeperkeeper.web.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.cli.DrawnClock;
import io.beeperkeeper.config.CameraConfig;
import io.beeperkeeper.media.Ffmpeg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The camera with audio, measured where the hub hands it to viewers (its MSE stream, read back with
 * ffmpeg): sound and picture carry the same times, and its pictures leave ffmpeg as early as those of
 * the camera without audio. The test camera flashes a square and pauses its tone in the first 100 ms
 * of every UTC second; the flash frame's drawn clock (tesseract) says how far into the second that
 * picture was made, so the offset is exact to the audio analysis window. Loose bounds: the strict
 * figures come from {@code beeper bench glass} on a quiet machine.
 */
class LipSyncTest {
    private static final Pattern PTS = Pattern.compile("pts_time:(-?[\\d.]+)");
    private static final Pattern VALUE = Pattern.compile("=(-?[\\d.]+|-?inf|nan)");

    @Test
    void soundAndPictureAgreeAndTheCameraWithAudioIsAsEarlyAsTheOneWithout(@TempDir Path dir) throws Exception {
        Map<String, CameraConfig> cams = new LinkedHashMap<>();
        cams.put("csi", MediaServer.camera(320, 240, 300, "none"));
        cams.put("usb", MediaServer.camera(320, 240, 300, "opus"));
        HttpClient http = HttpClient.newHttpClient();
        try (MediaServer server = new MediaServer(MseOutputTest.MEDIA, cams)) {
            MseOutputTest.awaitLive(server, 2);
            MseOutputTest.Client csi = MseOutputTest.Client.connect(http, server.ws("csi") + "?stats=1");
            MseOutputTest.Client usb = MseOutputTest.Client.connect(http, server.ws("usb") + "?stats=1");
            // Five lip-sync marks and the pictures around them.
            await().atMost(Duration.ofSeconds(90)).until(() -> usb.arrivals.size() >= 80 && csi.arrivals.size() >= 80);
            csi.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
            usb.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");

            Capture usbCapture = Capture.of(usb, dir.resolve("usb"));
            Capture csiCapture = Capture.of(csi, dir.resolve("csi"));

            // Sound against picture: each flash (a picture made phi ms into the second) against the tone's pause.
            List<Double> flashes = usbCapture.flashOnsets();
            List<Double> pauses = usbCapture.pauseOnsets();
            assertThat(flashes).as("flash onsets").hasSizeGreaterThanOrEqualTo(3);
            assertThat(pauses).as("tone pauses").hasSizeGreaterThanOrEqualTo(3);
            List<Path> flashClocks = flashes.stream().map(usbCapture::clockImage).toList();
            List<OptionalLong> drawn = DrawnClock.read(flashClocks);
            List<Double> offsets = new ArrayList<>();
            for (int i = 0; i < flashes.size(); i++) {
                if (drawn.get(i).isEmpty()) {
                    continue;
                }
                double phi = (drawn.get(i).getAsLong() % 1000) / 1000.0;
                double madeAt = flashes.get(i) - phi; // stream time of the second's start, by the picture
                double pause = pauses.stream().min((a, b) -> Double.compare(Math.abs(a - madeAt), Math.abs(b - madeAt))).orElseThrow();
                offsets.add((pause - madeAt) * 1000);
            }
            assertThat(offsets).as("audio minus video at the marks (ms)").hasSizeGreaterThanOrEqualTo(3);
            assertThat(median(offsets)).as("audio minus video (ms), each mark: " + offsets).isBetween(-80.0, 80.0);

            // Camera to hub: the time each picture reached the hub minus the time drawn on it.
            double usbDelay = median(usbCapture.arrivalDelaysMs(6));
            double csiDelay = median(csiCapture.arrivalDelaysMs(6));
            System.out.printf(java.util.Locale.ROOT, "lip sync: audio - video %s ms; camera to hub: usb %.0f ms, csi %.0f ms%n",
                    offsets, usbDelay, csiDelay);
            assertThat(usbDelay - csiDelay).as("usb %.0f ms vs csi %.0f ms from camera to hub", usbDelay, csiDelay)
                    .isLessThan(200);
        }
    }

    private static double median(List<Double> values) {
        List<Double> s = values.stream().sorted().toList();
        return s.isEmpty() ? Double.NaN : s.get(s.size() / 2);
    }

    /** What one viewer received, written as the fMP4 file the browser plays, with its frames' timing messages. */
    private record Capture(Path file, Path dir, TreeMap<Double, Long> receivedAt, List<Double> framePts) {
        static Capture of(MseOutputTest.Client client, Path dir) throws Exception {
            Files.createDirectories(dir);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            client.binary.forEach(all::writeBytes);
            Path file = dir.resolve("capture.mp4");
            Files.write(file, all.toByteArray());
            TreeMap<Double, Long> received = new TreeMap<>();
            ObjectMapper json = new ObjectMapper();
            for (String t : client.text) {
                JsonNode m = json.readTree(t);
                if (m.path("type").asText().equals("t")) {
                    for (JsonNode f : m.get("f")) {
                        received.put(f.get(0).asDouble(), f.get(1).asLong());
                    }
                }
            }
            // Every picture's clock, enlarged for OCR, named by its order; showinfo gives each one's time.
            Ffmpeg.Result r = Ffmpeg.run("ffmpeg", "-hide_banner", "-copyts", "-i", file.toString(), "-map", "0:v",
                    "-vf", "showinfo,crop=iw*0.66:ih*0.16:0:0,scale=iw*3:ih*3", "-fps_mode", "passthrough",
                    dir.resolve("clock-%04d.png").toString());
            assertThat(r.exit()).as(r.stderr()).isZero();
            List<Double> pts = new ArrayList<>();
            for (String line : r.stderr().lines().toList()) {
                if (line.contains("Parsed_showinfo") && line.contains(" n:")) {
                    Matcher m = PTS.matcher(line);
                    if (m.find()) {
                        pts.add(Double.parseDouble(m.group(1)));
                    }
                }
            }
            return new Capture(file, dir, received, pts);
        }

        Path clockImage(double pts) {
            int i = framePts.indexOf(pts);
            return dir.resolve(String.format("clock-%04d.png", i + 1));
        }

        /** Stream times of the pictures where the square turns white. */
        List<Double> flashOnsets() throws Exception {
            List<double[]> s = series("0:v", "-vf", "crop=iw*0.08:ih*0.08:iw*0.88:ih*0.88,signalstats,"
                    + "metadata=print:key=lavfi.signalstats.YAVG:file=-");
            return onsets(s, v -> v > 128);
        }

        /** Stream times where the tone stops (5 ms analysis windows). */
        List<Double> pauseOnsets() throws Exception {
            List<double[]> s = series("0:a", "-af", "asetnsamples=n=240,astats=metadata=1:reset=1,"
                    + "ametadata=print:key=lavfi.astats.Overall.RMS_level:file=-");
            return onsets(s, v -> v < -50);
        }

        private List<double[]> series(String map, String filterFlag, String filter) throws Exception {
            Ffmpeg.Result r = Ffmpeg.run("ffmpeg", "-hide_banner", "-loglevel", "error", "-copyts", "-i", file.toString(),
                    "-map", map, filterFlag, filter, "-f", "null", "-");
            assertThat(r.exit()).as(r.stderr()).isZero();
            List<double[]> out = new ArrayList<>();
            double pts = Double.NaN;
            for (String line : r.stdout().lines().toList()) {
                Matcher p = PTS.matcher(line);
                if (p.find()) {
                    pts = Double.parseDouble(p.group(1));
                    continue;
                }
                Matcher v = VALUE.matcher(line);
                if (v.find() && !Double.isNaN(pts)) {
                    String x = v.group(1);
                    out.add(new double[] {pts, x.endsWith("inf") ? (x.startsWith("-") ? -200 : 200) : Double.parseDouble(x)});
                }
            }
            return out;
        }

        private static List<Double> onsets(List<double[]> series, java.util.function.DoublePredicate on) {
            List<Double> out = new ArrayList<>();
            boolean before = true; // an onset needs a sample that was off before it
            for (double[] s : series) {
                boolean now = on.test(s[1]);
                if (now && !before) {
                    out.add(s[0]);
                }
                before = now;
            }
            return out;
        }

        /** For every {@code step}-th picture: hub receive time minus the drawn clock, in ms. */
        List<Double> arrivalDelaysMs(int step) throws Exception {
            List<Path> images = new ArrayList<>();
            List<Long> received = new ArrayList<>();
            for (int i = 0; i < framePts.size(); i += step) {
                Map.Entry<Double, Long> e = receivedAt.floorEntry(framePts.get(i) + 0.001);
                if (e != null && Math.abs(e.getKey() - framePts.get(i)) < 0.002) {
                    images.add(dir.resolve(String.format("clock-%04d.png", i + 1)));
                    received.add(e.getValue());
                }
            }
            List<OptionalLong> drawn = DrawnClock.read(images);
            List<Double> out = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) {
                if (drawn.get(i).isPresent()) {
                    long msOfDay = Math.floorMod(received.get(i), 86_400_000L);
                    double d = msOfDay - drawn.get(i).getAsLong();
                    if (d > -100 && d < 30_000) {
                        out.add(d);
                    }
                }
            }
            assertThat(out).as("pictures whose clock was read").hasSizeGreaterThanOrEqualTo(4);
            return out;
        }
    }
}

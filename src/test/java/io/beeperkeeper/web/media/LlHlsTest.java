package io.beeperkeeper.web.media;

import io.beeperkeeper.config.MediaConfig;
import io.beeperkeeper.media.Ffmpeg;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

class LlHlsTest {
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void playlistHasPartsAndBlockingReloadAndFfmpegPlaysIt() throws Exception {
        MediaConfig media = new MediaConfig("ffmpeg", 5, 20, 30, true, 90, 10, 50, 20);
        try (MediaServer server = new MediaServer(media, Map.of("usb", MediaServer.camera(320, 240, 300, "opus")))) {
            MseOutputTest.awaitLive(server, 1);
            String url = server.http() + "/api/cameras/usb/index.m3u8";
            HttpResponse<String> first = await("a whole segment in the playlist").atMost(MseOutputTest.CAMERA).pollInterval(Duration.ofMillis(200))
                    .until(() -> get(url), r -> r.body().contains("#EXTINF"));
            String playlist = first.body();
            assertThat(first.headers().firstValue("content-type").orElse("")).startsWith("application/vnd.apple.mpegurl");
            assertThat(playlist).startsWith("#EXTM3U").contains("CAN-BLOCK-RELOAD=YES")
                    .contains(",INDEPENDENT=YES").contains("#EXTINF:").contains("#EXT-X-PRELOAD-HINT:TYPE=PART");
            assertThat(first.headers().firstValue("cache-control")).hasValue("public, max-age=1");

            // Small parts (one frame at 15 fps), a hold-back of three of them, parts within the target
            // (a frame's arrival stamp may come late on a loaded machine: the median part is checked).
            double target = Double.parseDouble(find(playlist, "PART-TARGET=([0-9.]+)"));
            assertThat(target).isBetween(0.06, 0.1);
            assertThat(Double.parseDouble(find(playlist, "PART-HOLD-BACK=([0-9.]+)"))).isCloseTo(3 * target, within(0.002));
            Matcher durations = Pattern.compile("#EXT-X-PART:DURATION=([0-9.]+)").matcher(playlist);
            List<Double> parts = new java.util.ArrayList<>();
            while (durations.find()) {
                parts.add(Double.parseDouble(durations.group(1)));
            }
            assertThat(parts).hasSizeGreaterThan(3);
            assertThat(parts.stream().sorted().toList().get(parts.size() / 2)).isLessThanOrEqualTo(target);

            // Names are never reused (numbered from the wall clock), so caches may keep the media for good.
            String init = find(playlist, "#EXT-X-MAP:URI=\"(hls/init-\\d+\\.mp4)\"");
            long initVersion = Long.parseLong(init.replaceAll("\\D", ""));
            assertThat(initVersion).isGreaterThan(System.currentTimeMillis() / 10 - 600_000);
            HttpResponse<byte[]> initAnswer = bytes(server.http() + "/api/cameras/usb/" + init);
            assertThat(initAnswer.statusCode()).isEqualTo(200);
            assertThat(initAnswer.headers().firstValue("cache-control")).hasValue("public, max-age=31536000, immutable");
            HttpResponse<byte[]> oldInit = bytes(server.http() + "/api/cameras/usb/hls/init-" + (initVersion - 1) + ".mp4");
            assertThat(oldInit.statusCode()).isEqualTo(404);
            assertThat(oldInit.headers().firstValue("cache-control")).hasValue("no-store");
            String segment = find(playlist, "\n(hls/seg/\\d+\\.m4s)\n");
            assertThat(bytes(server.http() + "/api/cameras/usb/" + segment).headers().firstValue("cache-control"))
                    .hasValue("public, max-age=31536000, immutable");

            // Blocking reload: ask for the part after the hinted one; it comes back once that part exists.
            Matcher hint = Pattern.compile("PRELOAD-HINT:TYPE=PART,URI=\"hls/part/(\\d+)\\.(\\d+)\\.m4s\"").matcher(playlist);
            assertThat(hint.find()).isTrue();
            long msn = Long.parseLong(hint.group(1));
            int part = Integer.parseInt(hint.group(2));
            HttpResponse<byte[]> hinted = http.send(HttpRequest.newBuilder(URI.create(server.http() + "/api/cameras/usb/hls/part/"
                    + msn + "." + part + ".m4s")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(hinted.statusCode()).isEqualTo(200);
            assertThat(hinted.headers().firstValue("cache-control")).hasValue("public, max-age=31536000, immutable");
            assertThat(new String(hinted.body(), 4, 4)).isEqualTo("moof");
            long before = System.nanoTime();
            HttpResponse<String> blockedAnswer = get(url + "?_HLS_msn=" + msn + "&_HLS_part=" + (part + 1));
            String blocked = blockedAnswer.body();
            double waited = (System.nanoTime() - before) / 1e9;
            assertThat(blockedAnswer.headers().firstValue("cache-control")).hasValue("public, max-age=60");
            // The hub gives up on a blocking reload after 3 s and answers with the playlist as it is: an answer
            // well before that came because the part appeared (a part is a few frames; a loaded machine is slower).
            assertThat(waited).as("seconds the blocking reload waited").isLessThan(2.5);
            assertThat(blocked).satisfiesAnyOf(
                    b -> assertThat(b).contains("hls/part/" + msn + "." + (part + 1) + ".m4s"),
                    b -> assertThat(b).contains("hls/seg/" + msn + ".m4s"));
            assertThat(get(url + "?_HLS_msn=" + (msn + 1000)).statusCode()).isEqualTo(400);

            // ffmpeg as a plain HLS client.
            Path out = Files.createTempFile("hls", ".mp4");
            Ffmpeg.Result r = Ffmpeg.run("ffmpeg", "-hide_banner", "-v", "error", "-y", "-i", url, "-t", "3", "-c", "copy", out.toString());
            assertThat(r.exit()).as(r.stderr()).isZero();
            Ffmpeg.Result probe = Ffmpeg.run("ffprobe", "-v", "error", "-count_frames", "-show_entries",
                    "stream=codec_name,nb_read_frames", "-of", "csv=p=0", out.toString());
            Files.delete(out);
            List<String> lines = probe.stdout().lines().toList();
            assertThat(lines).hasSize(2);
            assertThat(lines.get(0)).startsWith("h264,");
            assertThat(Integer.parseInt(lines.get(0).split(",")[1])).isGreaterThanOrEqualTo(30);
            assertThat(lines.get(1)).startsWith("opus,");
        }
    }

    @Test
    void aRequestForTheHintedPartOutlastsACameraPauseLongerThanABlockingReload() throws Exception {
        // no hang watchdog within the test: the paused camera must stay the same process
        MediaConfig media = new MediaConfig("ffmpeg", 60, 120, 30, true, 90, 10, 50, 20);
        try (MediaServer server = new MediaServer(media, Map.of("csi", MediaServer.camera(320, 240, 300, "none")))) {
            MseOutputTest.awaitLive(server, 1);
            String url = server.http() + "/api/cameras/csi/index.m3u8";
            await("a playlist with a preload hint").atMost(MseOutputTest.CAMERA).until(() -> get(url).body(), b -> b.contains("PRELOAD-HINT"));
            long pid = server.cameras.get("csi").orElseThrow().pid();
            new ProcessBuilder("kill", "-STOP", String.valueOf(pid)).start().waitFor();
            try {
                // once the hub has read what the camera wrote before it paused, the playlist stands still
                AtomicReference<String> last = new AtomicReference<>("");
                String playlist = await("the playlist stands still").atMost(MseOutputTest.CAMERA).pollInterval(Duration.ofSeconds(1))
                        .until(() -> get(url).body(), b -> b.equals(last.getAndSet(b)));
                Matcher hint = Pattern.compile("PRELOAD-HINT:TYPE=PART,URI=\"(hls/part/\\d+\\.\\d+\\.m4s)\"").matcher(playlist);
                assertThat(hint.find()).isTrue();
                var part = http.sendAsync(HttpRequest.newBuilder(URI.create(server.http() + "/api/cameras/csi/" + hint.group(1))).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                // The camera pauses longer than a blocking playlist reload is held, as on a loaded machine.
                Thread.sleep(4000);
                assertThat(part).as("still held while the camera pauses").isNotDone();
                new ProcessBuilder("kill", "-CONT", String.valueOf(pid)).start().waitFor();
                HttpResponse<byte[]> r = part.get(MseOutputTest.CAMERA.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(new String(r.body(), 4, 4)).isEqualTo("moof");
            } finally {
                new ProcessBuilder("kill", "-CONT", String.valueOf(pid)).start().waitFor();
            }
        }
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("%s in %s", regex, text).isTrue();
        return m.group(1);
    }

    private HttpResponse<byte[]> bytes(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}

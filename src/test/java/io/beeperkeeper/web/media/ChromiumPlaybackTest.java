package io.beeperkeeper.web.media;

import io.beeperkeeper.web.Browser;
import io.beeperkeeper.config.CameraConfig;
import io.beeperkeeper.config.MediaConfig;
import io.javalin.http.staticfiles.Location;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Both test cameras play in real headless Chromium through MSE over WebSocket, and LL-HLS through hls.js. */
class ChromiumPlaybackTest {
    /** How long the page may take to play: a loaded 2-core machine runs Chromium and two ffmpeg cameras. */
    static final Duration BROWSER = Duration.ofSeconds(90);
    static final Duration POLL = Duration.ofMillis(250);

    @Test
    void bothCamerasPlayAndOnlyTheOneWithAToneHasAudio() throws Exception {
        Map<String, CameraConfig> cams = new LinkedHashMap<>();
        cams.put("csi", MediaServer.camera(320, 240, 300, "none"));
        cams.put("usb", MediaServer.camera(320, 240, 300, "opus"));
        try (MediaServer server = new MediaServer(new MediaConfig("ffmpeg", 5, 20, 30, true, 90, 10, 50, 20), cams, "/media-test")) {
            MseOutputTest.awaitLive(server, 2);
            ChromeDriver chrome = Browser.start();
            try {
                chrome.get(server.http() + "/player.html");
                JavascriptExecutor js = chrome;
                String probe = "const v = document.querySelector('#camera-' + arguments[0] + ' video');"
                        + "return v ? [v.currentTime, v.videoWidth, v.dataset.audio || '',"
                        // the sound decoded by the element, or by the page beside it (js/mse-audio.js)
                        + " v.webkitAudioDecodedByteCount || (v.beeperSound ? v.beeperSound.stats().decoded : 0),"
                        + " (window.beeperVideoStats && window.beeperVideoStats[arguments[0]]) ? window.beeperVideoStats[arguments[0]].delayMs : -1,"
                        + " document.querySelector('#camera-' + arguments[0] + ' .video-badge').textContent] : null;";
                Map<String, List<?>> first = new LinkedHashMap<>();
                for (String cam : List.of("csi", "usb")) {
                    first.put(cam, await("camera " + cam + " plays").atMost(BROWSER).pollInterval(POLL)
                            .until(() -> (List<?>) js.executeScript(probe, cam),
                                    s -> s != null && ((Number) s.get(0)).doubleValue() > 0.5 && ((Number) s.get(1)).intValue() > 0));
                }
                for (String cam : List.of("csi", "usb")) {
                    double from = ((Number) first.get(cam).get(0)).doubleValue();
                    List<?> s = await(cam + " currentTime advances").atMost(BROWSER).pollInterval(POLL)
                            .until(() -> (List<?>) js.executeScript(probe, cam), p -> ((Number) p.get(0)).doubleValue() > from + 1.0);
                    assertThat(((Number) s.get(1)).intValue()).isEqualTo(320);
                    assertThat((String) s.get(5)).startsWith("MSE");
                    System.out.println("camera " + cam + ": " + s);
                }
                List<?> csi = (List<?>) js.executeScript(probe, "csi");
                List<?> usb = (List<?>) js.executeScript(probe, "usb");
                assertThat(csi.get(2)).isEqualTo("no");
                assertThat(usb.get(2)).isEqualTo("yes");
                assertThat(((Number) usb.get(3)).longValue()).as("audio decoded on usb").isPositive();
                assertThat(((Number) csi.get(3)).longValue()).as("no audio on csi").isZero();

                // Camera outage: kill its process; the player picks the stream up again by itself.
                long pid = server.cameras.get("csi").orElseThrow().pid();
                new ProcessBuilder("kill", "-9", String.valueOf(pid)).start().waitFor();
                await("csi's camera restarted").atMost(MseOutputTest.CAMERA).until(() -> server.cameras.get("csi").orElseThrow().pid() != pid
                        && server.cameras.get("csi").orElseThrow().pid() > 0);
                double atRestart = ((Number) ((List<?>) js.executeScript(probe, "csi")).get(0)).doubleValue();
                await("csi plays again after its camera restarted").atMost(BROWSER).pollInterval(POLL)
                        .until(() -> ((Number) ((List<?>) js.executeScript(probe, "csi")).get(0)).doubleValue() >= atRestart + 2);

                // LL-HLS through hls.js (the page's fallback when WebSocket does not get through).
                chrome.get(server.http() + "/player.html?protocol=hls");
                await("usb plays over LL-HLS").atMost(BROWSER).pollInterval(POLL).until(() -> (List<?>) js.executeScript(probe, "usb"),
                        s -> s != null && ((Number) s.get(0)).doubleValue() > 2 && ((Number) s.get(1)).intValue() == 320
                                && ((String) s.get(5)).startsWith("LL-HLS"));

                List<LogEntry> errors = chrome.manage().logs().get(LogType.BROWSER).getAll().stream()
                        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
                assertThat(errors).as("console errors").isEmpty();
            } finally {
                chrome.quit();
            }
        }
    }
}

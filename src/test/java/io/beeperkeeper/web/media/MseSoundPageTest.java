package io.beeperkeeper.web.media;

import io.beeperkeeper.config.CameraConfig;
import io.beeperkeeper.config.MediaConfig;
import io.beeperkeeper.web.Browser;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The camera with sound over MSE in real headless Chromium: the picture plays from its own
 * SourceBuffer at the newest frame, like the camera without sound, and the page decodes and plays the
 * sound beside it (js/mse-audio.js), scheduled against the picture. Behaviour, not speed: where the
 * player stands relative to the newest frame the hub sent (a player a second behind, as one waiting
 * for its sound buffer, fails), that the sound is decoded and played, the sound button, and that both
 * players keep playing.
 */
class MseSoundPageTest {
    private static final String PROBE = """
            const v = document.querySelector('#camera-' + arguments[0] + ' video');
            if (!v) return null;
            const st = (window.beeperVideoStats || {})[arguments[0]] || {};
            const b = v.buffered;
            return { t: v.currentTime, w: v.videoWidth, sound: v.dataset.sound || '', audio: v.dataset.audio || '',
              end: b.length ? b.end(b.length - 1) : -1, badge: v.parentElement.querySelector('.video-badge').textContent,
              stats: v.beeperSound ? v.beeperSound.stats() : null, paused: v.paused };""";

    @Test
    void theCameraWithSoundPlaysAtTheNewestFrameWithItsSoundBeside() throws Exception {
        Map<String, CameraConfig> cams = new LinkedHashMap<>();
        cams.put("csi", MediaServer.camera(320, 240, 300, "none"));
        cams.put("usb", MediaServer.camera(320, 240, 300, "opus"));
        try (MediaServer server = new MediaServer(new MediaConfig("ffmpeg", 5, 20, 30, true, 90, 10, 50, 20), cams, "/media-test")) {
            MseOutputTest.awaitLive(server, 2);
            ChromeDriver chrome = Browser.start();
            try {
                chrome.get(server.http() + "/player.html?protocol=mse");
                JavascriptExecutor js = chrome;
                for (String cam : List.of("csi", "usb")) {
                    await(cam + " plays over MSE").atMost(ChromiumPlaybackTest.BROWSER).pollInterval(ChromiumPlaybackTest.POLL)
                            .until(() -> probe(js, cam), p -> p != null && ((Number) p.get("t")).doubleValue() > 1
                                    && ((Number) p.get("w")).intValue() == 320 && String.valueOf(p.get("badge")).startsWith("MSE"));
                }
                Map<String, Object> usb = probe(js, "usb");
                assertThat(usb.get("sound")).as("usb's sound plays beside its picture").isEqualTo("separate");
                assertThat(probe(js, "csi").get("sound")).isEqualTo("none");
                await("usb's sound decoded").atMost(ChromiumPlaybackTest.BROWSER).pollInterval(ChromiumPlaybackTest.POLL)
                        .until(() -> stats(js, "usb"), s -> s != null && ((Number) s.get("decoded")).intValue() > 100
                                && "running".equals(s.get("state")));

                // The viewer turns the sound on with the camera's button (the picture has no sound track of its own).
                chrome.findElement(By.cssSelector("#camera-usb .video-sound")).click();
                await("sound on").atMost(ChromiumPlaybackTest.BROWSER).pollInterval(ChromiumPlaybackTest.POLL)
                        .until(() -> Boolean.FALSE.equals(stats(js, "usb").get("muted")));
                assertThat(chrome.findElement(By.cssSelector("#camera-usb .video-sound")).getAttribute("aria-pressed")).isEqualTo("true");

                // Where the player is against the newest frame the hub has sent it (its timing messages).
                js.executeScript("""
                        window.beeperBehind = {};
                        for (const name of ['csi', 'usb']) {
                          const samples = window.beeperBehind[name] = [];
                          const tick = () => {
                            const v = document.querySelector('#camera-' + name + ' video');
                            const p = v && v.beeperPlayerTimes && v.beeperPlayerTimes();
                            if (p && p.length && !v.paused && v.readyState >= 2) samples.push(p[p.length - 1][0] - v.currentTime);
                          };
                          setInterval(tick, 100);
                        }""");
                // Both keep playing, each at its newest frame: 40 samples of how far behind it the player is.
                for (String cam : List.of("csi", "usb")) {
                    double from = ((Number) probe(js, cam).get("t")).doubleValue();
                    await(cam + " keeps playing").atMost(ChromiumPlaybackTest.BROWSER).pollInterval(ChromiumPlaybackTest.POLL)
                            .until(() -> ((Number) probe(js, cam).get("t")).doubleValue() > from + 3
                                    && behind(js, cam).size() >= 40);
                }
                Map<String, Double> medians = new LinkedHashMap<>();
                for (String cam : List.of("csi", "usb")) {
                    List<Double> b = behind(js, cam);
                    double median = b.stream().sorted().toList().get(b.size() / 2);
                    medians.put(cam, median);
                    System.out.printf(java.util.Locale.ROOT, "%s: newest frame - currentTime, median %.3f s of %d; %s%n", cam, median,
                            b.size(), probe(js, cam));
                }
                // A frame interval is 67 ms here; a player waiting for a sound buffer stands a second or more behind.
                assertThat(medians.get("usb")).as("usb behind its newest frame (s)").isLessThan(0.25);
                assertThat(medians.get("csi")).as("csi behind its newest frame (s)").isLessThan(0.25);
                Map<String, Object> s = stats(js, "usb");
                assertThat(s.get("avOffsetMs")).as("sound against picture is measured: " + s).isNotNull();
                assertThat(((Number) s.get("decoded")).intValue()).isGreaterThan(100);

                List<LogEntry> errors = chrome.manage().logs().get(LogType.BROWSER).getAll().stream()
                        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
                assertThat(errors).as("console errors").isEmpty();
            } finally {
                chrome.quit();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> probe(JavascriptExecutor js, String cam) {
        return (Map<String, Object>) js.executeScript(PROBE, cam);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stats(JavascriptExecutor js, String cam) {
        Map<String, Object> p = probe(js, cam);
        return p == null ? null : (Map<String, Object>) p.get("stats");
    }

    private static List<Double> behind(JavascriptExecutor js, String cam) {
        List<?> raw = (List<?>) js.executeScript("return window.beeperBehind[arguments[0]];", cam);
        List<Double> out = new ArrayList<>();
        for (Object o : raw) {
            out.add(((Number) o).doubleValue());
        }
        return out;
    }
}

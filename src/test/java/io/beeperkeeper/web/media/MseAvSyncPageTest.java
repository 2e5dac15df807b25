package io.beeperkeeper.web.media;

import io.beeperkeeper.config.CameraConfig;
import io.beeperkeeper.config.MediaConfig;
import io.beeperkeeper.web.Browser;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sound and picture together as a viewer sees and hears them over MSE, in real headless Chromium. The
 * test camera marks the first 100 ms of every UTC second in both: a white square in the picture's
 * bottom right corner and a pause in its tone. The page measures when each reaches the viewer: the
 * picture from each frame shown (requestVideoFrameCallback, drawn into a canvas, the square's
 * brightness), the sound from an AnalyserNode on what the page plays (js/mse-audio.js, after its
 * volume), both on the page's clock. The pause must start within 80 ms of the square.
 */
class MseAvSyncPageTest {
    private static final String LISTEN = """
            const v = document.querySelector('#camera-usb video');
            const snd = v.beeperSound;
            const out = window.beeperSync = { flashes: [], pauses: [] };
            // the picture: brightness of the marker square in each frame shown, at the time it is shown
            const c = document.createElement('canvas');
            c.width = v.videoWidth; c.height = v.videoHeight;
            const g = c.getContext('2d', { willReadFrequently: true });
            const size = Math.max(16, Math.floor(v.videoHeight / 8)), gap = Math.floor(size / 8);
            let white = false;
            const onFrame = (now, meta) => {
              g.drawImage(v, 0, 0, c.width, c.height);
              const px = g.getImageData(c.width - gap - size + 4, c.height - gap - size + 4, size - 8, size - 8).data;
              let sum = 0;
              for (let i = 0; i < px.length; i += 4) sum += px[i] + px[i + 1] + px[i + 2];
              const bright = sum / (px.length / 4) / 3 > 128;
              if (bright && !white) out.flashes.push(meta.expectedDisplayTime || now);
              white = bright;
              v.requestVideoFrameCallback(onFrame);
            };
            v.requestVideoFrameCallback(onFrame);
            // the sound: the newest render quantum's loudness, at the time it is heard
            const ctx = snd.ctx;
            const an = ctx.createAnalyser();
            an.fftSize = 256;
            snd.output.connect(an);
            const buf = new Float32Array(128);
            let loud = true;
            setInterval(() => {
              an.getFloatTimeDomainData(buf);
              let e = 0;
              for (const x of buf) e += x * x;
              const rms = Math.sqrt(e / buf.length);
              const ts = ctx.getOutputTimestamp();
              const heard = ts.performanceTime + (ctx.currentTime - ts.contextTime) * 1000 - buf.length / ctx.sampleRate * 500;
              if (rms < 0.01 && loud) out.pauses.push(heard);
              if (rms > 0.05) loud = true; else if (rms < 0.01) loud = false;
            }, 4);""";

    @Test
    void theSoundsMarkIsHeardWithin80MsOfThePicturesMark() throws Exception {
        Map<String, CameraConfig> cams = new LinkedHashMap<>();
        // 30 fps: the square appears in the first frame after the second starts, up to a frame interval late
        cams.put("usb", new CameraConfig("test", 320, 240, 30, 400, 1.0, null, "opus", null, null, null, null).validated("t"));
        try (MediaServer server = new MediaServer(new MediaConfig("ffmpeg", 5, 20, 30, true, 90, 10, 50, 20), cams, "/media-test")) {
            MseOutputTest.awaitLive(server, 1);
            ChromeDriver chrome = Browser.start();
            try {
                chrome.get(server.http() + "/player.html?protocol=mse");
                JavascriptExecutor js = chrome;
                await("usb plays over MSE with its sound beside").atMost(ChromiumPlaybackTest.BROWSER).pollInterval(ChromiumPlaybackTest.POLL)
                        .until(() -> js.executeScript("const v = document.querySelector('#camera-usb video');"
                                + "return !!v && v.currentTime > 1 && v.videoWidth === 320 && !!v.beeperSound"
                                + " && v.beeperSound.stats().decoded > 50 && v.beeperSound.stats().state === 'running';"), Boolean.TRUE::equals);
                chrome.findElement(By.cssSelector("#camera-usb .video-sound")).click(); // sound on: the analyser hears what a viewer hears
                js.executeScript(LISTEN);
                await("ten marks seen and heard").atMost(Duration.ofSeconds(90)).pollInterval(ChromiumPlaybackTest.POLL)
                        .until(() -> count(js, "flashes") >= 11 && count(js, "pauses") >= 11);
                List<Double> flashes = times(js, "flashes");
                List<Double> pauses = times(js, "pauses");
                List<Double> offsets = new ArrayList<>();
                for (double f : flashes.subList(1, flashes.size())) { // the first may be a square already showing
                    pauses.stream().filter(p -> Math.abs(p - f) < 400).findFirst().ifPresent(p -> offsets.add(p - f));
                }
                List<Double> sorted = offsets.stream().sorted().toList();
                System.out.printf(Locale.ROOT, "usb over MSE: sound's mark minus picture's mark, ms: %s (median %.0f); sound %s%n",
                        sorted.stream().map(d -> String.valueOf(Math.round(d))).toList(), sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2),
                        js.executeScript("return document.querySelector('#camera-usb video').beeperSound.stats()"));
                assertThat(sorted).as("marks paired: flashes %s, pauses %s", flashes, pauses).hasSizeGreaterThanOrEqualTo(8);
                assertThat(sorted.get(sorted.size() / 2)).as("median offset, sound after picture (ms)").isBetween(-80.0, 80.0);
            } finally {
                chrome.quit();
            }
        }
    }

    private static long count(JavascriptExecutor js, String what) {
        return ((Number) js.executeScript("return window.beeperSync[arguments[0]].length", what)).longValue();
    }

    private static List<Double> times(JavascriptExecutor js, String what) {
        List<Double> out = new ArrayList<>();
        for (Object o : (List<?>) js.executeScript("return window.beeperSync[arguments[0]]", what)) {
            out.add(((Number) o).doubleValue());
        }
        return out;
    }
}

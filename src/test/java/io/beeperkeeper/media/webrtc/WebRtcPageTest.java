package io.beeperkeeper.media.webrtc;

import io.beeperkeeper.web.webrtc.WhepModule;
import io.beeperkeeper.web.Browser;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.config.CamerasConfig;
import io.beeperkeeper.config.MediaConfig;
import io.beeperkeeper.config.WebRtcConfig;
import io.beeperkeeper.health.HealthRegistry;
import io.beeperkeeper.media.Cameras;
import io.beeperkeeper.media.MediaFeature;
import io.beeperkeeper.feature.Feature;
import io.beeperkeeper.feature.PageEvents;
import java.time.Duration;
import java.util.List;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole path as the hub wires it: the media package's cameras (ffmpeg test pattern, one with an
 * Opus tone) and {@code /api/cameras} listing the {@code whep} output, the page's {@code video.js}
 * choosing WebRTC through {@code webrtc.js}, and the badge saying so.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class WebRtcPageTest {
    /** How long the test waits for the cameras and the browser: generous, a loaded 2-core machine is slow at both. */
    static final Duration BROWSER = Duration.ofSeconds(60);
    @Test
    void thePagePlaysBothCamerasOverWebRtcAndSaysSo() throws Exception {
        Path profile = Files.createTempDirectory("chromium-webrtc-page");
        HealthRegistry health = new HealthRegistry();
        io.micrometer.core.instrument.MeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        // Wired exactly as App does: no cameras configured = the two test cameras (csi silent, usb with a tone).
        try (MediaFeature media = new MediaFeature(CamerasConfig.defaults(), MediaConfig.defaults(), PageEvents.NONE, (pcm, offset, length) -> { }, meters);
             WebRtcFeature webrtcFeature = new WebRtcFeature(new WebRtcConfig(true, "127.0.0.1", 0, "", 4, 300), media, meters)) {
            for (Feature f : List.of(media, webrtcFeature)) {
                f.health().forEach(h -> health.register(h.name(), h.state()));
                f.start();
            }
            Cameras cameras = media.cameras();
            WebRtcServer webrtc = webrtcFeature.server().orElseThrow();
            Javalin app = Javalin.create(c -> {
                c.startup.showJavalinBanner = false;
                c.staticFiles.add("/web", Location.CLASSPATH);
                c.staticFiles.add("/media-test", Location.CLASSPATH);
                new io.beeperkeeper.web.media.MediaWebModule(media.outputs(), new ObjectMapper()).register(c.routes);
                new WhepModule(webrtc).register(c.routes);
            });
            app.start("127.0.0.1", 0);
            assertThat(health.snapshot().get("webrtc").detail()).contains("UDP port " + webrtc.port());
            await("test cameras live").atMost(BROWSER).until(() -> cameras.stream("csi").orElseThrow().tracks().isPresent()
                    && cameras.stream("usb").orElseThrow().tracks().isPresent());
            ChromeDriver chrome = Browser.start("--allow-loopback-in-peer-connection", "--user-data-dir=" + profile);
            try {
                chrome.get("http://127.0.0.1:" + app.port() + "/player.html");
                String probe = "const v = document.querySelector('#camera-' + arguments[0] + ' video');"
                        + "const b = document.querySelector('#camera-' + arguments[0] + ' .video-badge');"
                        + "return v && b ? [v.dataset.protocol || '', b.textContent, v.currentTime, v.videoWidth, v.dataset.audio || ''] : null;";
                for (String cam : List.of("csi", "usb")) {
                    List<?> s = await(cam + " plays over WebRTC").atMost(BROWSER).pollInterval(Duration.ofMillis(250))
                            .until(() -> (List<?>) chrome.executeScript(probe, cam), p -> p != null && "webrtc".equals(p.get(0))
                                    && ((String) p.get(1)).startsWith("WebRTC") && ((Number) p.get(2)).doubleValue() >= 1);
                    assertThat(((Number) s.get(3)).intValue()).isPositive();
                    System.out.println("page camera " + cam + ": " + s);
                }
                assertThat(((List<?>) chrome.executeScript(probe, "csi")).get(4)).isEqualTo("no");
                assertThat(((List<?>) chrome.executeScript(probe, "usb")).get(4)).isEqualTo("yes");
                assertThat(webrtc.sessionCount()).isEqualTo(2);
                assertThat(chrome.manage().logs().get(LogType.BROWSER).getAll())
                        .filteredOn(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).isEmpty();
                // Leaving the page ends both sessions on the hub (the consent timeout is far past this wait).
                chrome.get("about:blank");
                await("both sessions ended").atMost(Duration.ofSeconds(30)).until(() -> webrtc.sessionCount() == 0);
            } finally {
                chrome.quit();
                app.stop();
            }
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}

package io.beeperkeeper.web.media;

import io.beeperkeeper.web.Browser;
import io.beeperkeeper.App;
import io.beeperkeeper.config.BeeperConfig;
import io.beeperkeeper.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A fresh hub with no camera configured: the page shows both test cameras playing. */
class HubPageVideoTest {
    @TempDir
    Path data;

    @Test
    void freshHubPageShowsBothTestCamerasPlaying() throws Exception {
        int mqttPort;
        try (ServerSocket s = new ServerSocket(0)) {
            mqttPort = s.getLocalPort();
        }
        BeeperConfig config = new ConfigLoader().load(null, Map.of(), Map.of("web.host", "127.0.0.1", "web.port", "0",
                "data.dir", data.toString(), "mqtt.port", String.valueOf(mqttPort),
                "webrtc.udpHost", "127.0.0.1", "webrtc.udpPort", "0", "rtsp.enabled", "false", // other hubs may hold the default ports
                "motion.enabled", "false", "recordings.enabled", "false")); // as TestHub: no motion decoder or pre-roll this test does not use
        try (App app = new App(config, Clock.systemUTC()).start()) {
            ChromeDriver chrome = Browser.start();
            try {
                chrome.get("http://127.0.0.1:" + app.webPort() + "/");
                JavascriptExecutor js = chrome;
                for (String cam : List.of("csi", "usb")) {
                    // two ffmpeg cameras and Chromium starting on a busy machine: a generous deadline
                    List<?> s = await(cam + " plays on the page").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                            .until(() -> (List<?>) js.executeScript("const v = document.querySelector('#camera-' + arguments[0] + ' video');"
                                            + "return v ? [v.currentTime, v.videoWidth, v.dataset.audio || ''] : null;", cam),
                                    st -> st != null && ((Number) st.get(0)).doubleValue() > 1 && ((Number) st.get(1)).intValue() == 640);
                    assertThat(s.get(2)).isEqualTo(cam.equals("usb") ? "yes" : "no");
                }
                assertThat((String) js.executeScript("return document.querySelector('#camera-csi .camera-state').textContent"))
                        .contains("live");
                List<LogEntry> errors = chrome.manage().logs().get(LogType.BROWSER).getAll().stream()
                        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
                assertThat(errors).as("console errors").isEmpty();
            } finally {
                chrome.quit();
            }
        }
    }
}

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
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/** A fresh hub with no camera configured: the page shows both test cameras playing within seconds. */
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
                "data.dir", data.toString(), "mqtt.port", String.valueOf(mqttPort)));
        try (App app = new App(config, Clock.systemUTC()).start()) {
            ChromeDriver chrome = Browser.start();
            try {
                chrome.get("http://127.0.0.1:" + app.webPort() + "/");
                JavascriptExecutor js = chrome;
                long deadline = System.currentTimeMillis() + 25_000;
                for (String cam : List.of("csi", "usb")) {
                    while (true) {
                        List<?> s = (List<?>) js.executeScript("const v = document.querySelector('#camera-' + arguments[0] + ' video');"
                                + "return v ? [v.currentTime, v.videoWidth, v.dataset.audio || ''] : null;", cam);
                        if (s != null && ((Number) s.get(0)).doubleValue() > 1 && ((Number) s.get(1)).intValue() == 640) {
                            assertThat(s.get(2)).isEqualTo(cam.equals("usb") ? "yes" : "no");
                            break;
                        }
                        assertThat(System.currentTimeMillis()).as(cam + " plays on the page: " + s).isLessThan(deadline);
                        Thread.sleep(250);
                    }
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

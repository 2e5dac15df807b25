package io.beeperkeeper.web.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.App;
import io.beeperkeeper.TestHub;
import io.beeperkeeper.web.Browser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A hub whose ffmpeg is missing tells the keeper how to fix it, in /api/cameras and in each camera's box. */
class MissingFfmpegPageTest {
    @TempDir
    Path data;

    @Test
    void theCameraBoxNamesTheFix() throws Exception {
        try (App hub = TestHub.start(data, Map.of("media.ffmpeg", "/nonexistent/ffmpeg"))) {
            HttpClient http = HttpClient.newHttpClient();
            URI cameras = URI.create("http://127.0.0.1:" + hub.webPort() + "/api/cameras");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonNode list = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(cameras).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                assertThat(list).isNotEmpty();
                for (JsonNode c : list) {
                    assertThat(c.get("state").asText()).isEqualTo("offline");
                    assertThat(c.get("reason").asText()).contains("sudo apt-get install ffmpeg").contains("media.ffmpeg");
                }
            });
            ChromeDriver browser = Browser.start();
            try {
                browser.get("http://127.0.0.1:" + hub.webPort() + "/");
                new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> d.findElements(By.cssSelector("#cameras figure figcaption"))
                        .stream().filter(e -> e.getText().contains("sudo apt-get install ffmpeg")).count() == 2);
            } finally {
                browser.quit();
            }
        }
    }
}

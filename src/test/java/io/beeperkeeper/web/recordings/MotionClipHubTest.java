package io.beeperkeeper.web.recordings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.App;
import io.beeperkeeper.TestHub;
import io.beeperkeeper.media.mp4.Mp4TestMedia;
import io.beeperkeeper.motion.LabelledFootageTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Motion on a whole hub, end to end: a camera plays the labelled coop footage (a still scene, a box
 * moving through it from 6 s on), the hub's decoder finds the event, the recorder writes a motion clip from the pre-roll
 * before the motion began (a faststart MP4 of the camera's own H.264, listed by {@code /api/clips}),
 * and a {@code kind: motion} alert rule whose hours hold the present fires.
 */
class MotionClipHubTest {
    @TempDir
    Path data;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void motionOnTheCameraRecordsAClipWithItsPreRollAndFiresTheMotionRule() throws Exception {
        DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
        Instant now = Instant.now();
        String hours = hhmm.format(now.minus(Duration.ofHours(1))) + "-" + hhmm.format(now.plus(Duration.ofHours(3)));
        String yaml = """
                cameras:
                  coop:
                    source: file
                    file: %s
                alerts:
                  rules:
                    coop-motion:
                      kind: motion
                      component: coop
                      hours: "%s"
                """.formatted(LabelledFootageTest.footage(data, "coop.mp4", false), hours);
        try (App hub = TestHub.start(data, yaml, Map.of("motion.enabled", "true", "recordings.enabled", "true",
                "recordings.preRollSeconds", "2", "recordings.maxClipSeconds", "5", "recordings.minFreeBytes", "0",
                "alerts.timeZone", "UTC", "sensors.intervalSeconds", "3600"), Clock.systemUTC())) {
            String base = "http://127.0.0.1:" + hub.webPort() + "/";

            JsonNode event = await("a motion event").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> json.readTree(get(base + "api/motion?camera=coop").body()).path("events"), e -> e.size() > 0)
                    .path(0);
            assertThat(event.path("camera").asText()).isEqualTo("coop");
            Instant motionStart = Instant.parse(event.path("start").asText());

            JsonNode clip = await("the motion clip's first part").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> json.readTree(get(base + "api/clips?kind=motion").body()).path("clips"), c -> c.size() > 0)
                    .path(0);
            assertThat(clip.path("camera").asText()).isEqualTo("coop");
            assertThat(clip.path("kind").asText()).isEqualTo("motion");
            assertThat(clip.path("part").asInt()).isEqualTo(1);
            Instant start = Instant.parse(clip.path("start").asText());
            Instant trigger = Instant.parse(clip.path("trigger").asText());
            assertThat(trigger).as("the clip starts from the motion's start").isBetween(motionStart.minusSeconds(2), motionStart.plusSeconds(2));
            assertThat(clip.path("preRoll").asDouble()).as("pre-roll before the motion").isGreaterThanOrEqualTo(1.0);
            assertThat(start).isBefore(motionStart);
            assertThat(clip.path("duration").asDouble()).isLessThanOrEqualTo(5.2);

            Path mp4 = data.resolve("motion.mp4");
            HttpResponse<Path> got = http.send(HttpRequest.newBuilder(URI.create(base + "api/clips/" + clip.path("id").asText() + ".mp4"))
                    .build(), HttpResponse.BodyHandlers.ofFile(mp4));
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(Files.size(mp4)).isEqualTo(clip.path("bytes").asLong());
            assertThat(Mp4TestMedia.boxes(mp4)).containsExactly("ftyp", "moov", "mdat");
            JsonNode probe = Mp4TestMedia.probe(mp4);
            assertThat(probe.path("streams").path(0).path("codec_name").asText()).isEqualTo("h264");
            assertThat(probe.path("streams").path(0).path("width").asInt()).isEqualTo(320);
            assertThat(probe.path("streams").path(0).path("nb_read_frames").asInt()).isEqualTo(clip.path("frames").asInt());

            // the footage plays in a loop, so the box moves again within a minute if this event is over
            JsonNode firing = await("the motion rule fires").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> json.readTree(get(base + "api/alerts").body()).path("active"), a -> a.size() > 0).path(0);
            assertThat(firing.path("id").asText()).isEqualTo("coop-motion");
            assertThat(firing.path("state").asText()).isEqualTo("firing");
            assertThat(firing.path("detail").asText()).isEqualTo("motion on coop");
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

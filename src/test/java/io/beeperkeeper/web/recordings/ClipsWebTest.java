package io.beeperkeeper.web.recordings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.App;
import io.beeperkeeper.TestHub;
import io.beeperkeeper.media.mp4.Mp4TestMedia;
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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The clips' HTTP surface on a whole hub with a live test camera (a keyframe every second): a
 * "record" POST records the pre-roll and the seconds asked for, the clip is listed with its fields,
 * its MP4 is a faststart H.264 file ffprobe reads (duration, frames) with the pre-roll in it, Range
 * requests are answered (and one past the end refused), the thumbnail is a JPEG, filters work, bad
 * input is refused with a reason, and DELETE removes it.
 */
class ClipsWebTest {
    @TempDir
    Path data;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void recordsAClipWithItsPreRollAndServesIt() throws Exception {
        String yaml = "cameras:\n  coop:\n    source: test\n    width: 320\n    height: 240\n    fps: 10\n    keyframeSeconds: 1\n";
        try (App hub = TestHub.start(data, yaml, Map.of("recordings.enabled", "true", "recordings.preRollSeconds", "3",
                "recordings.minFreeBytes", "0", "sensors.intervalSeconds", "3600"), Clock.systemUTC())) {
            String base = "http://127.0.0.1:" + hub.webPort() + "/";
            await("a pre-roll of 3 s").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> json.readTree(get(base + "api/health").body()).path("components").path("recordings").path("detail").asText(),
                            d -> d.matches(".*coop: pre-roll [3-9]\\.\\d s.*"));

            assertThat(post(base + "api/clips/record?camera=barn", "{}").statusCode()).isEqualTo(404);
            assertThat(post(base + "api/clips/record?camera=coop&seconds=0", "{}").statusCode()).isEqualTo(400);
            assertThat(post(base + "api/clips/record?camera=coop", null).statusCode()).as("no JSON body").isIn(400, 403, 411, 415);
            Instant clicked = Instant.now();
            HttpResponse<String> started = post(base + "api/clips/record?camera=coop&seconds=4", "{}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);

            JsonNode clip = await("the clip is listed").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> json.readTree(get(base + "api/clips").body()).path("clips"), c -> c.size() == 1).path(0);
            String id = clip.path("id").asText();
            assertThat(clip.path("camera").asText()).isEqualTo("coop");
            assertThat(clip.path("kind").asText()).isEqualTo("manual");
            assertThat(clip.path("part").asInt()).isEqualTo(1);
            assertThat(id).startsWith(clip.path("eventId").asText() + "-");
            assertThat(clip.path("url").asText()).isEqualTo("/api/clips/" + id + ".mp4");
            assertThat(clip.path("thumbnail").asText()).isEqualTo("/api/clips/" + id + ".jpg");
            Instant start = Instant.parse(clip.path("start").asText());
            Instant trigger = Instant.parse(clip.path("trigger").asText());
            assertThat(trigger).isBetween(clicked.minusSeconds(1), clicked.plusSeconds(10));
            // pre-roll: the first frame at or before trigger - 3 s + one GOP (1 s)
            assertThat(start).isBeforeOrEqualTo(trigger.minusSeconds(3).plusSeconds(1));
            assertThat(clip.path("preRoll").asDouble()).isGreaterThanOrEqualTo(2.0);
            double seconds = clip.path("duration").asDouble();
            assertThat(seconds).isBetween(6.0, 9.0);

            Path mp4 = data.resolve("got.mp4");
            HttpResponse<Path> got = http.send(HttpRequest.newBuilder(URI.create(base + "api/clips/" + id + ".mp4")).build(),
                    HttpResponse.BodyHandlers.ofFile(mp4));
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(got.headers().firstValue("Content-Type")).contains("video/mp4");
            assertThat(Files.size(mp4)).isEqualTo(clip.path("bytes").asLong());
            assertThat(Mp4TestMedia.boxes(mp4)).containsExactly("ftyp", "moov", "mdat");
            JsonNode p = Mp4TestMedia.probe(mp4);
            assertThat(p.path("streams").path(0).path("codec_name").asText()).isEqualTo("h264");
            assertThat(p.path("streams").path(0).path("width").asInt()).isEqualTo(320);
            assertThat(p.path("streams").path(0).path("nb_read_frames").asInt()).isEqualTo(clip.path("frames").asInt());
            assertThat(p.path("format").path("duration").asDouble()).isCloseTo(seconds, within(0.2));

            HttpResponse<byte[]> range = http.send(HttpRequest.newBuilder(URI.create(base + "api/clips/" + id + ".mp4"))
                    .header("Range", "bytes=0-99").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(range.statusCode()).isEqualTo(206);
            assertThat(range.body()).hasSize(100);
            long size = Files.size(mp4);
            HttpResponse<byte[]> past = http.send(HttpRequest.newBuilder(URI.create(base + "api/clips/" + id + ".mp4"))
                    .header("Range", "bytes=" + (size + 10) + "-" + (size + 100)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(past.statusCode()).as("a range past the end").isEqualTo(416);

            HttpResponse<byte[]> jpg = http.send(HttpRequest.newBuilder(URI.create(base + "api/clips/" + id + ".jpg")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(jpg.statusCode()).isEqualTo(200);
            assertThat(jpg.headers().firstValue("Content-Type")).contains("image/jpeg");
            assertThat(jpg.body()[0] & 0xFF).isEqualTo(0xFF);
            assertThat(jpg.body()[1] & 0xFF).isEqualTo(0xD8);

            String day = start.toString().substring(0, 10);
            assertThat(json.readTree(get(base + "api/clips?camera=coop&day=" + day + "&kind=manual").body()).path("clips")).hasSize(1);
            assertThat(json.readTree(get(base + "api/clips?kind=motion").body()).path("clips")).isEmpty();
            assertThat(get(base + "api/clips?kind=sometimes").statusCode()).isEqualTo(400);
            assertThat(get(base + "api/clips?day=yesterday").statusCode()).isEqualTo(400);
            assertThat(get(base + "api/clips?camera=barn").statusCode()).isEqualTo(400);
            assertThat(get(base + "api/clips/nothing.mp4").statusCode()).isEqualTo(404);
            assertThat(get(base + "api/clips/..%2F..%2Fbeeper.db.mp4").statusCode()).isEqualTo(404);
            assertThat(get(base + "api/clips/" + id + ".mp4").statusCode()).isEqualTo(200);

            assertThat(delete(base + "api/clips/nothing").statusCode()).isEqualTo(404);
            assertThat(delete(base + "api/clips/" + id).statusCode()).isEqualTo(204);
            assertThat(get(base + "api/clips/" + id + ".mp4").statusCode()).isEqualTo(404);
            assertThat(json.readTree(get(base + "api/clips").body()).path("clips")).isEmpty();
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (body == null) {
            b.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> delete(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .method("DELETE", HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }
}

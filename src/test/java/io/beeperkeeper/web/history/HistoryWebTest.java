package io.beeperkeeper.web.history;

import io.beeperkeeper.history.HistoryStore;
import io.beeperkeeper.config.HistoryConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.metric.MetricSample;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** /api/history and /api/history/metrics over real HTTP on a real store; parameter checking. */
class HistoryWebTest {
    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    static final Instant NOW = T0.plus(Duration.ofHours(2));

    @TempDir
    Path dir;
    HistoryStore store;
    Javalin app;
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        store = HistoryStore.open(dir.resolve("beeper.db"), new HistoryConfig(14, 180, 0, 1, 10, 20_000, 50, 30, "UTC", HistoryConfig.Influx.defaults()), clock);
        for (int i = 0; i < 360; i++) {
            store.onSample(new MetricSample("coop", "temperature", 20 + i % 10, "°C", T0.plusSeconds(10L * i), null));
        }
        store.flush(Duration.ofSeconds(30));
        app = Javalin.create(c -> new HistoryWeb(store, clock).register(c.routes)).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        app.stop();
        store.close();
    }

    HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersBucketsInColumns() throws Exception {
        HttpResponse<String> r = get("/api/history?metric=temperature&from=" + T0.getEpochSecond()
                + "&to=" + URLEncoder.encode(T0.plusSeconds(3600).toString(), StandardCharsets.UTF_8) + "&points=60");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(r.body());
        assertThat(body.get("resolution").asText()).isEqualTo("1m");
        assertThat(body.get("unit").asText()).isEqualTo("°C");
        assertThat(body.get("count").asInt()).isEqualTo(60);
        assertThat(body.get("t").get(0).asLong()).isEqualTo(T0.getEpochSecond());
        assertThat(body.get("min").get(0).asDouble()).isEqualTo(20);
        assertThat(body.get("max").get(0).asDouble()).isEqualTo(25);
        assertThat(body.get("mean").get(0).asDouble()).isEqualTo(22.5);
    }

    @Test
    void defaultsToTheLast24Hours() throws Exception {
        JsonNode body = json.readTree(get("/api/history?metric=temperature").body());
        assertThat(body.get("to").asText()).isEqualTo(NOW.toString());
        assertThat(body.get("from").asText()).isEqualTo(NOW.minus(Duration.ofHours(24)).toString());
        assertThat(body.get("count").asInt()).isEqualTo(30); // 2-minute buckets over the hour of data
    }

    @Test
    void listsMetrics() throws Exception {
        HttpResponse<String> r = get("/api/history/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode m = json.readTree(r.body()).get("metrics").get(0);
        assertThat(m.get("metric").asText()).isEqualTo("temperature");
        assertThat(m.get("node").asText()).isEqualTo("coop");
        assertThat(m.get("unit").asText()).isEqualTo("°C");
        assertThat(m.get("first").asText()).isEqualTo(T0.toString());
        assertThat(m.get("last").asText()).isEqualTo(T0.plusSeconds(3590).toString());
    }

    @Test
    void badParametersGet400WithTheReason() throws Exception {
        Map<String, String> cases = Map.of(
                "/api/history", "missing parameter 'metric'",
                "/api/history?metric=temperature&from=yesterday", "'from' is not a time",
                "/api/history?metric=temperature&from=2000&to=1000", "must be before",
                "/api/history?metric=temperature&points=0", "'points' must be from 1",
                "/api/history?metric=temperature&points=lots", "'points' must be a whole number",
                "/api/history?metric=pressure", "no history for metric 'pressure'",
                "/api/history?metric=%3Cscript%3E", "bad metric name");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            HttpResponse<String> r = get(c.getKey());
            assertThat(r.statusCode()).as(c.getKey()).isEqualTo(400);
            assertThat(json.readTree(r.body()).get("error").asText()).as(c.getKey()).contains(c.getValue());
        }
    }

    @Test
    void aReadingIsChartedBeforeTheStoreCommitsIt() throws Exception {
        // flushSeconds 600: nothing reaches the disk during this test
        HistoryConfig slow = new HistoryConfig(14, 180, 0, 600, 10, 20_000, 50, 30, "UTC", HistoryConfig.Influx.defaults());
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        try (HistoryStore fresh = HistoryStore.open(dir.resolve("fresh.db"), slow, clock)) {
            Javalin other = Javalin.create(c -> new HistoryWeb(fresh, clock).register(c.routes)).start("127.0.0.1", 0);
            try {
                fresh.onSample(new MetricSample("coop", "humidity", 61.5, "%", NOW.minusSeconds(5), null));
                String base = "http://127.0.0.1:" + other.port();
                JsonNode metrics = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/history/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body()).get("metrics");
                assertThat(metrics).hasSize(1);
                assertThat(metrics.get(0).get("metric").asText()).isEqualTo("humidity");
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/history?metric=humidity")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                JsonNode body = json.readTree(r.body());
                assertThat(body.get("count").asInt()).isEqualTo(1);
                assertThat(body.get("mean").get(0).asDouble()).isEqualTo(61.5);
                assertThat(fresh.stats().commits()).isZero();
            } finally {
                other.stop();
            }
        }
    }

    @Test
    void datesBeyondWhatTheStoreCanCountAreRefusedWith400() throws Exception {
        String farFuture = URLEncoder.encode("+300000000-01-01T00:00:00Z", StandardCharsets.UTF_8);
        String farFutureDayLater = URLEncoder.encode("+300000000-01-02T00:00:00Z", StandardCharsets.UTF_8);
        String farPast = URLEncoder.encode("-300000000-01-01T00:00:00Z", StandardCharsets.UTF_8);
        for (String q : new String[]{
                "from=" + farFuture + "&to=" + farFutureDayLater,
                "to=" + farFuture,
                "from=" + farPast + "&to=" + URLEncoder.encode("-300000000-01-01T01:00:00Z", StandardCharsets.UTF_8),
                "from=9100000000000000&to=9100000000003600"}) {
            HttpResponse<String> r = get("/api/history?metric=temperature&" + q);
            assertThat(r.statusCode()).as(q + ": " + r.body()).isEqualTo(400);
            assertThat(json.readTree(r.body()).get("error").asText()).as(q).contains("out of range");
        }
    }

    @Test
    void servesUplotFromItsWebJar() throws Exception {
        HttpResponse<String> js = get("/vendor/uplot/uPlot.esm.js");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
        assertThat(js.body()).contains("export { uPlot as default }");
        assertThat(get("/vendor/uplot/uPlot.min.css").statusCode()).isEqualTo(200);
        assertThat(get("/vendor/uplot/LICENSE").body()).contains("MIT");
        assertThat(get("/vendor/uplot/..%2F..%2Fpom.xml").statusCode()).isEqualTo(404);
        HttpResponse<String> unknown = get("/vendor/uplot/nope.js");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json.readTree(unknown.body()).get("error").asText()).contains("uPlot.esm.js");
    }

    @Test
    void parsesIsoEpochSecondsAndEpochMillis() {
        Instant now = Instant.parse("2026-03-02T00:00:00Z");
        assertThat(HistoryWeb.parse(Map.of("metric", "lux", "from", "2026-03-01T01:00:00+01:00"), now).from())
                .isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(HistoryWeb.parse(Map.of("metric", "lux", "from", "1772323200"), now).from())
                .isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(HistoryWeb.parse(Map.of("metric", "lux", "from", "1772323200000"), now).from())
                .isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(HistoryWeb.parse(Map.of("metric", "lux", "from", "1772323200.5"), now).from())
                .isEqualTo(Instant.parse("2026-03-01T00:00:00.5Z"));
        assertThatThrownBy(() -> HistoryWeb.parse(Map.of("metric", "lux", "from", "2026-03-01"), now))
                .hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> HistoryWeb.parse(Map.of("metric", "lux", "from", "0", "to", "9999999999999"), now))
                .hasMessageContaining("longer than 20 years");
    }
}

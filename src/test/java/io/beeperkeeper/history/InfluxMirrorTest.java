package io.beeperkeeper.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.config.HistoryConfig;
import io.beeperkeeper.metric.MetricSample;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The mirror against Debian's real InfluxDB 1.6: influxd is started by the test with a temporary
 * config on loopback ports. Skipped (with the reason) only when the influxd binary is not installed.
 */
class InfluxMirrorTest {
    static final Path INFLUXD = Path.of("/usr/bin/influxd");
    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    @TempDir
    Path dir;
    Process influxd;
    InfluxMirror mirror;
    final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws Exception {
        if (mirror != null) {
            mirror.close();
        }
        if (influxd != null) {
            influxd.destroy();
            if (!influxd.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                influxd.destroyForcibly();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    void startInfluxd(int httpPort) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(INFLUXD), "influxd not installed (apt-get install influxdb)");
        int rpcPort = freePort();
        Path conf = dir.resolve("influxdb.conf");
        Files.writeString(conf, String.join("\n",
                "reporting-disabled = true",
                "bind-address = \"127.0.0.1:" + rpcPort + "\"",
                "[meta]", "  dir = \"" + dir.resolve("meta") + "\"",
                "[data]", "  dir = \"" + dir.resolve("data") + "\"", "  wal-dir = \"" + dir.resolve("wal") + "\"",
                "  query-log-enabled = false",
                "[monitor]", "  store-enabled = false",
                "[continuous_queries]", "  enabled = false",
                "[http]", "  bind-address = \"127.0.0.1:" + httpPort + "\"", "  log-enabled = false", ""));
        influxd = new ProcessBuilder(INFLUXD.toString(), "-config", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("influxd.log").toFile()).start();
        // a server start on a loaded machine: a generous deadline; an influxd that exits fails at once
        await("influxd answers /ping").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            assertThat(influxd.isAlive()).as("influxd exited: %s", Files.readString(dir.resolve("influxd.log"))).isTrue();
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/ping")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 204;
            } catch (IOException e) {
                return false; // not up yet
            }
        });
    }

    static HistoryConfig.Influx config(int port, int bufferCapacity) {
        return new HistoryConfig.Influx(true, "http://127.0.0.1:" + port, 1, "beeper", "", "", "", "", "", "beeper", 1, bufferCapacity);
    }

    JsonNode query(int port, String q) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + port + "/query?db=beeper&epoch=ms&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
        return new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void writesEveryReadingToARealInfluxdb() throws Exception {
        int port = freePort();
        startInfluxd(port);
        mirror = new InfluxMirror(config(port, 10_000));
        for (int i = 0; i < 100; i++) {
            mirror.onSample(new MetricSample("coop", "temperature", 20 + i * 0.1, "°C", T0.plusSeconds(10L * i), null));
            mirror.onSample(new MetricSample("coop", "lux", 100 + i, "lx", T0.plusSeconds(10L * i), null));
        }
        mirror.onSample(new MetricSample("barn 2", "audio_level_db", -42.5, "dB", T0, null));
        assertThat(mirror.drain(Duration.ofSeconds(30))).isTrue();

        JsonNode r = query(port, "SELECT count(temperature), max(lux) FROM beeper WHERE node = 'coop'");
        JsonNode row = r.at("/results/0/series/0/values/0");
        assertThat(row.get(1).asLong()).as(r.toString()).isEqualTo(100);
        assertThat(row.get(2).asDouble()).isEqualTo(199);
        JsonNode first = query(port, "SELECT temperature FROM beeper WHERE node = 'coop' LIMIT 1").at("/results/0/series/0/values/0");
        assertThat(first.get(0).asLong()).isEqualTo(T0.toEpochMilli());
        assertThat(first.get(1).asDouble()).isEqualTo(20.0);
        JsonNode escaped = query(port, "SELECT audio_level_db FROM beeper WHERE node = 'barn 2'").at("/results/0/series/0/values/0");
        assertThat(escaped.get(1).asDouble()).isEqualTo(-42.5);
        assertThat(mirror.stats().sent()).isEqualTo(201);
        assertThat(mirror.health().status()).isEqualTo(io.beeperkeeper.health.ComponentHealth.Status.UP);
    }

    @Test
    void buffersWhileInfluxdbIsDownAndCatchesUpWhenItComesBack() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(INFLUXD), "influxd not installed (apt-get install influxdb)");
        int port = freePort();
        mirror = new InfluxMirror(config(port, 100)); // nothing listens yet
        for (int i = 0; i < 150; i++) {
            mirror.onSample(new MetricSample("coop", "humidity", i, "%", T0.plusSeconds(i), null));
        }
        assertThat(mirror.drain(Duration.ofSeconds(2))).isFalse();
        assertThat(mirror.stats().dropped()).isEqualTo(50); // bounded: the oldest went
        assertThat(mirror.health().status()).isEqualTo(io.beeperkeeper.health.ComponentHealth.Status.DEGRADED);
        assertThat(mirror.health().detail()).contains("cannot reach InfluxDB");

        startInfluxd(port);
        assertThat(mirror.drain(Duration.ofSeconds(60))).isTrue();
        JsonNode row = query(port, "SELECT count(humidity), min(humidity), max(humidity) FROM beeper").at("/results/0/series/0/values/0");
        assertThat(row.get(1).asLong()).isEqualTo(100);
        assertThat(row.get(2).asDouble()).isEqualTo(50);
        assertThat(row.get(3).asDouble()).isEqualTo(149);
    }

    @Test
    void writesLineProtocolWithEscapes() {
        assertThat(InfluxMirror.line("beeper", new MetricSample("coop", "temperature", 21.5, "°C", T0, null)))
                .isEqualTo("beeper,node=coop temperature=21.5 " + T0.toEpochMilli());
        assertThat(InfluxMirror.line("beeper", new MetricSample("my coop,1", "a=b", 1, "", T0, null)))
                .isEqualTo("beeper,node=my\\ coop\\,1 a\\=b=1.0 " + T0.toEpochMilli());
        assertThat(InfluxMirror.line("beeper", new MetricSample("", "lux", 3, "", T0, null)))
                .isEqualTo("beeper lux=3.0 " + T0.toEpochMilli());
        assertThat(InfluxMirror.writeUri(new HistoryConfig.Influx(true, "http://h:8086/", 2, "", "", "", "my org", "b", "t", "beeper", 5, 100)))
                .hasToString("http://h:8086/api/v2/write?org=my+org&bucket=b&precision=ms");
        assertThat(List.of(InfluxMirror.writeUri(config(8086, 100)).toString())).containsExactly("http://127.0.0.1:8086/write?db=beeper&precision=ms");
    }
}

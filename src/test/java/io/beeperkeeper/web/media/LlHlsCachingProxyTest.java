package io.beeperkeeper.web.media;

import io.beeperkeeper.App;
import io.beeperkeeper.Ports;
import io.beeperkeeper.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * LL-HLS through a real caching proxy (Debian's nginx with {@code proxy_cache} and request
 * coalescing, as a CDN such as Cloudflare does): 20 viewers that follow the live edge with blocking
 * reloads cost the hub about the requests one viewer costs, since every part, segment and blocking
 * playlist is answered from the cache after its first fetch. Counted from the proxy's log: a request
 * reached the hub when it has an upstream address.
 */
class LlHlsCachingProxyTest {
    static final Pattern HINT = Pattern.compile("PRELOAD-HINT:TYPE=PART,URI=\"(hls/part/(\\d+)\\.(\\d+)\\.m4s)\"");
    static final Pattern MAP = Pattern.compile("EXT-X-MAP:URI=\"([^\"]+)\"");

    @TempDir
    static Path dir;
    static App hub;
    static Process nginx;
    static Path accessLog;
    static int proxyPort;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.start(dir.resolve("hub"), Map.of());
        proxyPort = Ports.freePort();
        Path nginxDir = Files.createDirectories(dir.resolve("nginx"));
        Files.createDirectories(nginxDir.resolve("logs"));
        accessLog = nginxDir.resolve("access.log");
        String conf = (System.getProperty("user.name").equals("root") ? "user root;\n" : "") + """
                daemon off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 512; }
                http {
                    log_format hub '$upstream_addr $upstream_cache_status "$request" $status';
                    access_log %1$s/access.log hub;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    proxy_cache_path %1$s/cache levels=1:2 keys_zone=hls:4m max_size=64m inactive=60s use_temp_path=off;
                    server {
                        listen 127.0.0.1:%2$d;
                        location / {
                            proxy_pass http://127.0.0.1:%3$d;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_read_timeout 10s;
                            proxy_cache hls;
                            proxy_cache_lock on;
                            proxy_cache_lock_timeout 10s;
                            proxy_cache_lock_age 10s;
                        }
                    }
                }
                """.formatted(nginxDir, proxyPort, hub.webPort());
        Path confFile = Files.writeString(nginxDir.resolve("nginx.conf"), conf);
        nginx = new ProcessBuilder(nginxBinary(), "-p", nginxDir.toString(), "-c", confFile.toString())
                .redirectErrorStream(true).redirectOutput(nginxDir.resolve("stdout.log").toFile()).start();
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(proxy("/api/cameras/csi/index.m3u8"))).build(),
                HttpResponse.BodyHandlers.ofString()).body().contains("#EXT-X-PRELOAD-HINT"));
    }

    static String nginxBinary() {
        for (String p : List.of("/usr/sbin/nginx", "/usr/bin/nginx")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return "nginx";
    }

    @AfterAll
    static void stop() throws Exception {
        if (nginx != null) {
            nginx.destroy(); // SIGTERM: nginx's fast shutdown, workers included
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly();
            }
        }
        if (hub != null) {
            hub.close();
        }
    }

    static String proxy(String path) {
        return "http://127.0.0.1:" + proxyPort + path;
    }

    @Test
    void twentyViewersThroughTheCacheCostTheHubAboutWhatOneDoes() throws Exception {
        Counts one = watch(1, Duration.ofSeconds(6));
        Counts twenty = watch(20, Duration.ofSeconds(6));
        System.out.printf("LL-HLS through nginx proxy_cache, 6 s: 1 viewer %d parts, %d hub requests; 20 viewers %d parts, %d hub requests%n",
                one.media(), one.hub(), twenty.media(), twenty.hub());
        assertThat(one.media()).as("parts fetched by one viewer").isGreaterThan(10);
        assertThat(twenty.media()).as("parts fetched by twenty viewers").isGreaterThan(15 * one.media());
        // Each position's playlist and part reach the hub once whoever asks; a little slack for viewers
        // joining at a different point and for the 1-second live playlist.
        assertThat(twenty.hub()).as("requests reaching the hub: one viewer %s, twenty %s", one, twenty)
                .isLessThanOrEqualTo(one.hub() * 3 / 2 + 10);
    }

    /** What the viewers fetched through the proxy, and how many requests the proxy passed to the hub. */
    record Counts(long media, long hub) {
    }

    /** N viewers of camera csi following the live edge as hls.js does, for a while. */
    Counts watch(int viewers, Duration length) throws Exception {
        long logBefore = hubRequests();
        AtomicLong media = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(viewers);
        long end = System.nanoTime() + length.toNanos();
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < viewers; i++) {
            running.add(pool.submit(() -> {
                viewer(end, media);
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        // nginx writes a request's log line when it finishes; all have finished
        return new Counts(media.get(), hubRequests() - logBefore);
    }

    /** One LL-HLS viewer: the playlist, the init segment, then the hinted part and a blocking reload for it, again and again. */
    void viewer(long endNanos, AtomicLong media) throws Exception {
        String base = "/api/cameras/csi/";
        String playlist = get(base + "index.m3u8").body();
        Matcher map = MAP.matcher(playlist);
        assertThat(map.find()).as(playlist).isTrue();
        assertThat(bytes(base + map.group(1)).statusCode()).isEqualTo(200);
        while (System.nanoTime() < endNanos) {
            Matcher hint = HINT.matcher(playlist);
            assertThat(hint.find()).as(playlist).isTrue();
            HttpResponse<byte[]> part = bytes(base + hint.group(1));
            if (part.statusCode() == 200) {
                media.incrementAndGet();
            }
            HttpResponse<String> next = get(base + "index.m3u8?_HLS_msn=" + hint.group(2) + "&_HLS_part=" + hint.group(3));
            assertThat(next.statusCode()).isEqualTo(200);
            playlist = next.body();
        }
    }

    static long hubRequests() throws IOException {
        if (!Files.exists(accessLog)) {
            return 0;
        }
        return Files.readAllLines(accessLog).stream().filter(l -> !l.startsWith("-")).count();
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(proxy(path))).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> bytes(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(proxy(path))).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}

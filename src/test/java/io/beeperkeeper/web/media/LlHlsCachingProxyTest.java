package io.beeperkeeper.web.media;

import io.beeperkeeper.App;
import io.beeperkeeper.TestHub;
import io.beeperkeeper.cli.CachingProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * LL-HLS through a real caching proxy ({@link CachingProxy}: Debian's nginx with {@code proxy_cache}
 * and request coalescing, as a CDN such as Cloudflare does): 20 viewers that follow the live edge
 * with preload hints and blocking reloads cost the hub about the requests one viewer costs, since
 * every part and blocking playlist is answered from the cache after its first fetch. Each viewer
 * follows a fixed number of parts from the same starting playlist, so the counts compare the same
 * stretch of video however slowly a loaded machine gets through it.
 */
class LlHlsCachingProxyTest {
    static final Pattern HINT = Pattern.compile("PRELOAD-HINT:TYPE=PART,URI=\"(hls/part/(\\d+)\\.(\\d+)\\.m4s)\"");
    static final Pattern MAP = Pattern.compile("EXT-X-MAP:URI=\"([^\"]+)\"");
    static final String BASE = "/api/cameras/csi/";
    /** Parts each viewer follows: two seconds of 15 fps video, one segment boundary or two. */
    static final int POSITIONS = 30;

    @TempDir
    static Path dir;
    static App hub;
    static CachingProxy proxy;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.start(dir.resolve("hub"), Map.of());
        proxy = CachingProxy.start(dir.resolve("nginx"), hub.webPort());
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(proxy.url() + BASE + "index.m3u8")).build(),
                HttpResponse.BodyHandlers.ofString()).body().contains("#EXT-X-PRELOAD-HINT"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void twentyViewersThroughTheCacheCostTheHubAboutWhatOneDoes() throws Exception {
        Counts one = watch(1);
        Counts twenty = watch(20);
        System.out.printf("LL-HLS through nginx proxy_cache, %d parts each: 1 viewer %d parts, %d hub requests; "
                + "20 viewers %d parts, %d hub requests%n", POSITIONS, one.parts(), one.hub(), twenty.parts(), twenty.hub());
        // A hinted part that its segment ended without is a 404 (one per segment boundary).
        assertThat(one.parts()).as("parts one viewer got").isGreaterThanOrEqualTo(POSITIONS - 3);
        assertThat(twenty.parts()).as("parts twenty viewers got").isGreaterThanOrEqualTo(20L * (POSITIONS - 3));
        // One viewer: about a part and a playlist per position, all from the hub.
        assertThat(one.hub()).as("requests of one viewer reaching the hub").isGreaterThanOrEqualTo(POSITIONS);
        // Twenty: each position's part and playlist reach the hub once whoever asks; a little slack for
        // a request that waited on nginx's cache lock past its timeout on a starved machine.
        assertThat(twenty.hub()).as("requests reaching the hub: one viewer %s, twenty %s", one, twenty)
                .isLessThanOrEqualTo(one.hub() * 3 / 2 + 10);
    }

    /** What the viewers got through the proxy, and how many requests the proxy passed to the hub. */
    record Counts(long parts, long hub) {
    }

    /** N viewers of camera csi, each following {@link #POSITIONS} parts from the same live playlist. */
    Counts watch(int viewers) throws Exception {
        String start = get(BASE + "index.m3u8").body();
        long before = proxy.upstreamRequests();
        ExecutorService pool = Executors.newFixedThreadPool(viewers);
        try {
            List<CompletableFuture<Integer>> running = new ArrayList<>();
            for (int i = 0; i < viewers; i++) {
                running.add(CompletableFuture.supplyAsync(() -> viewer(start), pool));
            }
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            long parts = 0;
            for (CompletableFuture<Integer> f : running) {
                parts += f.join();
            }
            // nginx logs a request when it has answered it, and all have been answered
            return new Counts(parts, proxy.upstreamRequests() - before);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One LL-HLS viewer: the init segment, then the hinted part and a blocking reload for it, POSITIONS times. */
    int viewer(String playlist) {
        try {
            Matcher map = MAP.matcher(playlist);
            assertThat(map.find()).as(playlist).isTrue();
            assertThat(bytes(BASE + map.group(1)).statusCode()).isEqualTo(200);
            int parts = 0;
            for (int i = 0; i < POSITIONS; i++) {
                Matcher hint = HINT.matcher(playlist);
                assertThat(hint.find()).as(playlist).isTrue();
                HttpResponse<byte[]> part = bytes(BASE + hint.group(1));
                assertThat(part.statusCode()).as("%s: %s", hint.group(1), new String(part.body())).isIn(200, 404);
                if (part.statusCode() == 200) {
                    parts++;
                }
                HttpResponse<String> next = get(BASE + "index.m3u8?_HLS_msn=" + hint.group(2) + "&_HLS_part=" + hint.group(3));
                assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
                playlist = next.body();
            }
            return parts;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(proxy.url() + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> bytes(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(proxy.url() + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}

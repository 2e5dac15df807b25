package io.beeperkeeper.media.webrtc;

import io.beeperkeeper.web.webrtc.WhepModule;
import io.beeperkeeper.web.Browser;
import io.beeperkeeper.config.WebRtcConfig;
import io.beeperkeeper.media.Stream;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogType;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real thing: two ffmpeg test cameras (one without audio, one with Opus), the hub's WHEP endpoint
 * and UDP transport, and headless Chromium playing both over WebRTC on loopback with our page module
 * {@code web/js/webrtc.js}.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class WhepChromiumTest {
    /** How long a test waits for a camera or the browser: generous, a loaded 2-core machine is slow at both. */
    static final Duration BROWSER = Duration.ofSeconds(60);
    /** How long a test waits for the hub itself (a session to end). */
    static final Duration SERVER = Duration.ofSeconds(30);
    private static TestCamera csi;
    private static TestCamera usb;
    private static WebRtcServer server;
    private static Javalin web;
    private static ChromeDriver chrome;
    private static Path profile;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        csi = new TestCamera("csi", false, 15);
        usb = new TestCamera("usb", true, 15);
        Map<String, Stream> streams = Map.of("csi", csi.stream(), "usb", usb.stream());
        // A consent timeout far past the tests' waits: within them only the page's WHEP DELETE ends a session.
        server = new WebRtcServer(new WebRtcConfig(true, "127.0.0.1", 0, "", 4, 300), name -> Optional.ofNullable(streams.get(name)));
        web = Javalin.create(c -> {
            c.staticFiles.add("/web", Location.CLASSPATH);
            new WhepModule(server).register(c.routes);
            c.routes.get("/webrtc-test.html", ctx -> ctx.html("<!doctype html><html><head><link rel='icon' href='data:,'></head><body style='background:#000'>"
                    + "<video id='csi' muted playsinline width='640' height='480'></video>"
                    + "<video id='usb' muted playsinline width='640' height='480'></video>"
                    + "<span id='badge'></span><video id='nope' muted playsinline></video></body></html>"));
        });
        web.start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + web.port();
        waitLive(csi.stream());
        waitLive(usb.stream());

        profile = Files.createTempDirectory("chromium-webrtc");
        chrome = Browser.start("--allow-loopback-in-peer-connection", "--user-data-dir=" + profile);
        chrome.manage().timeouts().scriptTimeout(Duration.ofSeconds(150));
    }

    private static void waitLive(Stream s) {
        await("test camera " + s.name() + " starts (is ffmpeg installed?)").atMost(BROWSER)
                .until(() -> s.tracks().isPresent() && s.framesPublished() >= 5);
    }

    @AfterAll
    static void stop() throws Exception {
        if (chrome != null) {
            chrome.quit();
        }
        if (web != null) {
            web.stop();
        }
        if (server != null) {
            server.close();
        }
        if (csi != null) {
            csi.close();
        }
        if (usb != null) {
            usb.close();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stats(String cam) {
        return (Map<String, Object>) chrome.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const h = window['h_' + arguments[0]];
                h.pc.getStats().then((stats) => {
                  const out = { state: h.pc.connectionState, framesDecoded: 0, audioPackets: -1, width: 0 };
                  stats.forEach((s) => {
                    if (s.type === 'inbound-rtp' && s.kind === 'video') { out.framesDecoded = s.framesDecoded || 0; out.width = s.frameWidth || 0; }
                    if (s.type === 'inbound-rtp' && s.kind === 'audio') out.audioPackets = s.packetsReceived || 0;
                  });
                  out.audioTracks = h.pc.getReceivers().filter((r) => r.track.kind === 'audio')
                    .filter((r) => h.pc.getTransceivers().some((t) => t.receiver === r && t.currentDirection === 'recvonly')).length;
                  h.delayMs().then((d) => { out.delayMs = d; done(out); });
                }).catch((e) => done({ error: String(e) }));
                """, cam);
    }

    @Test
    void bothCamerasPlayOverWebRtcWithAudioOnlyWhereTheCameraHasIt() throws Exception {
        waitNoSessions();
        chrome.get(base + "/webrtc-test.html");
        Object result = chrome.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/js/webrtc.js').then(async (m) => {
                  for (const cam of ['csi', 'usb']) {
                    window['h_' + cam] = await m.playWhep(document.getElementById(cam), cam, { timeoutMs: 60000 });
                  }
                  done('ok');
                }).catch((e) => done('error: ' + e.message));
                """);
        assertThat(result).isEqualTo("ok");
        assertThat(server.sessionCount()).isEqualTo(2);

        Map<String, Object> csi1 = stats("csi");
        Map<String, Object> usb1 = stats("usb");
        Map<String, Object> csi2 = await("csi decodes frames").atMost(BROWSER).pollInterval(Duration.ofMillis(500)).until(() -> stats("csi"),
                st -> ((Number) st.get("framesDecoded")).longValue() > ((Number) csi1.get("framesDecoded")).longValue() + 10);
        Map<String, Object> usb2 = await("usb decodes frames and gets audio").atMost(BROWSER).pollInterval(Duration.ofMillis(500)).until(() -> stats("usb"),
                st -> ((Number) st.get("framesDecoded")).longValue() > ((Number) usb1.get("framesDecoded")).longValue() + 10
                        && ((Number) st.get("audioPackets")).longValue() > ((Number) usb1.get("audioPackets")).longValue());
        assertThat(csi2.get("state")).isEqualTo("connected");
        assertThat(usb2.get("state")).isEqualTo("connected");
        assertThat(((Number) csi2.get("framesDecoded")).longValue()).isGreaterThan(((Number) csi1.get("framesDecoded")).longValue() + 10);
        assertThat(((Number) usb2.get("framesDecoded")).longValue()).isGreaterThan(((Number) usb1.get("framesDecoded")).longValue() + 10);
        assertThat(((Number) csi2.get("width")).intValue()).isEqualTo(640);
        // Audio: an inbound audio track with packets only on the camera that has Opus.
        assertThat(((Number) csi2.get("audioTracks")).intValue()).isZero();
        assertThat(((Number) csi2.get("audioPackets")).longValue()).isLessThanOrEqualTo(0);
        assertThat(((Number) usb2.get("audioTracks")).intValue()).isEqualTo(1);
        assertThat(((Number) usb2.get("audioPackets")).longValue()).isGreaterThan(((Number) usb1.get("audioPackets")).longValue());
        System.out.println("WebRTC stats csi=" + csi2 + " usb=" + usb2);

        // Leaving ends the sessions on the hub (WHEP DELETE from the page's close()).
        chrome.executeScript("window.h_csi.close(); window.h_usb.close();");
        waitNoSessions();
        assertThat(chrome.manage().logs().get(LogType.BROWSER).getAll())
                .filteredOn(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .filteredOn(e -> !e.getMessage().contains("no-such-camera")) // the other test's deliberate 404
                .isEmpty();
    }

    @Test
    void attachShowsTheBadgeAndFallsBackWhenWebRtcIsRefused() throws Exception {
        chrome.get(base + "/webrtc-test.html");
        Object result = chrome.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/js/webrtc.js').then((m) => {
                  const badge = document.getElementById('badge');
                  const out = {};
                  m.attachWebRtc('no-such-camera', document.getElementById('nope'), null, { onFallback: (r) => { out.fallback = r; } });
                  const stop = m.attachWebRtc('csi', document.getElementById('csi'), badge, { timeoutMs: 60000,
                    onFallback: (r) => done({ error: r }) });
                  const poll = setInterval(() => {
                    if (badge.textContent.startsWith('WebRTC') && out.fallback) {
                      clearInterval(poll);
                      out.badge = badge.textContent;
                      out.protocol = document.getElementById('csi').dataset.protocol;
                      stop();
                      done(out);
                    }
                  }, 100);
                }).catch((e) => done({ error: e.message }));
                """);
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) result;
        assertThat(out).doesNotContainKey("error");
        assertThat((String) out.get("badge")).matches("WebRTC · \\d+ ms");
        assertThat(out.get("protocol")).isEqualTo("webrtc");
        assertThat((String) out.get("fallback")).contains("404").contains("no camera named");
        waitNoSessions();
    }

    /**
     * The hub's answer reaches the page without its ICE candidates, so the session can never connect
     * (on loopback a real one connects within milliseconds, sooner than any short timeout on a busy machine).
     */
    @Test
    void aSessionThatDoesNotConnectInTimeLeavesTheVideoToTheFallback() {
        chrome.get(base + "/webrtc-test.html");
        Object result = chrome.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const hubFetch = window.fetch.bind(window);
                window.fetch = async (url, options) => {
                  const res = await hubFetch(url, options);
                  if (!String(url).endsWith('/whep') || res.status !== 201) return res;
                  const sdp = (await res.text()).split('\\r\\n').filter((l) => !l.startsWith('a=candidate')).join('\\r\\n');
                  return new Response(sdp, { status: 201, headers: res.headers });
                };
                import('/js/webrtc.js').then((m) => {
                  const video = document.getElementById('csi');
                  m.attachWebRtc('csi', video, null, { timeoutMs: 1500,
                    onFallback: (r) => done({ fallback: r, cleared: video.srcObject === null }) });
                }).catch((e) => done({ error: e.message }));
                """);
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) result;
        assertThat(out).doesNotContainKey("error");
        assertThat((String) out.get("fallback")).contains("did not connect");
        assertThat(out.get("cleared")).as("the dead WebRTC stream no longer outranks the MSE player's src").isEqualTo(true);
        waitNoSessions();
    }

    private static void waitNoSessions() {
        await("no WebRTC session left on the hub").atMost(SERVER).until(() -> server.sessionCount() == 0);
    }

    @Test
    void whepHttpContract() throws Exception {
        waitNoSessions();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> wrongType = http.send(HttpRequest.newBuilder(URI.create(base + "/api/cameras/csi/whep"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("v=0")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrongType.statusCode()).isEqualTo(415);
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(base + "/api/cameras/nope/whep"))
                .header("Content-Type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString(ChromeOffers.videoAudio())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        HttpResponse<String> noH264 = http.send(HttpRequest.newBuilder(URI.create(base + "/api/cameras/csi/whep"))
                .header("Content-Type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString(
                        ChromeOffers.videoAudio().replace("H264/90000", "H265/90000"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noH264.statusCode()).isEqualTo(406);
        assertThat(noH264.body()).contains("H.264");
        assertThat(noH264.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(noH264.body()).startsWith("{\"error\":");

        // The limit is 4 per camera here: the fifth offer gets a clear 503.
        String[] locations = new String[4];
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(base + "/api/cameras/usb/whep"))
                    .header("Content-Type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString(ChromeOffers.videoAudio())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(201);
            assertThat(ok.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/sdp"));
            assertThat(ok.body()).contains("a=ice-lite").contains("a=fingerprint:sha-256 ").contains("a=candidate:");
            locations[i] = ok.headers().firstValue("Location").orElseThrow();
        }
        HttpResponse<String> full = http.send(HttpRequest.newBuilder(URI.create(base + "/api/cameras/usb/whep"))
                .header("Content-Type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString(ChromeOffers.videoAudio())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(full.statusCode()).isEqualTo(503);
        assertThat(full.body()).contains("maxSessionsPerCamera");
        HttpResponse<String> patch = http.send(HttpRequest.newBuilder(URI.create(base + locations[0]))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("a=candidate")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(patch.statusCode()).isEqualTo(405);
        for (String l : locations) {
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + l)).DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);
        }
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + locations[0])).DELETE().build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(404);
    }
}

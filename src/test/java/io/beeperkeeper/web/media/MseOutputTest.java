package io.beeperkeeper.web.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.config.MediaConfig;
import io.beeperkeeper.media.Ffmpeg;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class MseOutputTest {
    /** How long a test waits for a camera or its video: generous, a loaded 2-core machine starts ffmpeg slowly. */
    static final Duration CAMERA = Duration.ofSeconds(60);
    /** How long a test waits for the hub itself to act (count a viewer, answer a connection). */
    static final Duration SERVER = Duration.ofSeconds(30);
    static final MediaConfig MEDIA = new MediaConfig("ffmpeg", 5, 20, 30, true, 30, 2, 50, 20);
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void camerasApiDescribesTracksAndWebSocketDeliversAPlayableFmp4Stream() throws Exception {
        Map<String, io.beeperkeeper.config.CameraConfig> cams = new LinkedHashMap<>();
        cams.put("csi", MediaServer.camera(320, 240, 300, "none"));
        cams.put("usb", MediaServer.camera(320, 240, 300, "opus"));
        try (MediaServer server = new MediaServer(MEDIA, cams)) {
            JsonNode list = awaitLive(server, 2);
            JsonNode csi = list.get(0);
            assertThat(csi.get("name").asText()).isEqualTo("csi");
            assertThat(csi.at("/video/codecString").asText()).matches("avc1\\.42C0[0-9A-F]{2}");
            assertThat(csi.at("/video/width").asInt()).isEqualTo(320);
            assertThat(csi.get("audio").isNull()).isTrue();
            assertThat(csi.at("/outputs/mse").asText()).isEqualTo("/api/cameras/csi/ws");
            JsonNode usb = list.get(1);
            assertThat(usb.at("/audio/codec").asText()).isEqualTo("OPUS");
            assertThat(usb.at("/audio/sampleRate").asInt()).isEqualTo(48000);
            assertThat(usb.get("mimeType").asText()).contains("opus");

            Client client = Client.connect(http, server.ws("usb") + "?stats=1");
            await().atMost(CAMERA).until(() -> client.binary.size() > 60);
            client.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
            JsonNode init = new ObjectMapper().readTree(client.text.get(0));
            assertThat(init.get("type").asText()).isEqualTo("init");
            assertThat(init.get("mime").asText()).isEqualTo(usb.get("mimeType").asText());
            assertThat(client.text.stream().filter(t -> t.contains("\"type\":\"t\""))).isNotEmpty();
            byte[] first = client.binary.get(0);
            assertThat(new String(first, 4, 4, StandardCharsets.US_ASCII)).isEqualTo("ftyp");
            assertThat(new String(client.binary.get(1), 4, 4, StandardCharsets.US_ASCII)).isEqualTo("moof");

            // What the browser would get, checked by ffprobe: two tracks, H.264 and Opus.
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            client.binary.forEach(all::writeBytes);
            Path file = Files.createTempFile("mse", ".mp4");
            Files.write(file, all.toByteArray());
            Ffmpeg.Result probe = Ffmpeg.run("ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width", "-of", "csv=p=0",
                    file.toString());
            Files.delete(file);
            assertThat(probe.stdout().lines().toList()).containsExactly("h264,320", "opus");

            Client videoOnly = Client.connect(http, server.ws("usb") + "?audio=0");
            await().atMost(CAMERA).until(() -> videoOnly.text.size() > 0 && videoOnly.binary.size() > 5);
            assertThat(videoOnly.text.get(0)).doesNotContain("opus");

            HttpResponse<byte[]> jpeg = http.send(HttpRequest.newBuilder(URI.create(server.http() + "/api/cameras/csi/snapshot.jpg")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(jpeg.statusCode()).isEqualTo(200);
            assertThat(jpeg.headers().firstValue("content-type")).hasValue("image/jpeg");
            assertThat(jpeg.body()[0] & 0xFF).isEqualTo(0xFF);
            assertThat(jpeg.body()[1] & 0xFF).isEqualTo(0xD8);

            HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(server.http() + "/api/cameras/nope")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).contains("csi, usb");
        }
    }

    /** A raw WebSocket viewer of the camera with a 4 KB receive window, its upgrade sent; it reads what the test makes it read. */
    private static Socket rawViewer(MediaServer server, String camera) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", server.app.port()));
        OutputStream out = socket.getOutputStream();
        out.write(("GET /api/cameras/" + camera + "/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[16]) + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    @Test
    void aViewerThatNeverReadsDoesNotDelayAnotherAndIsDisconnected() throws Exception {
        try (MediaServer server = new MediaServer(MEDIA, Map.of("cam", MediaServer.camera(640, 480, 6000, "none")))) {
            awaitLive(server, 1);
            // A raw WebSocket viewer with a tiny receive window that never reads a byte.
            Socket stalled = rawViewer(server, "cam");
            await().atMost(SERVER).until(() -> server.module.viewerCount("cam") == 1);

            long readerJoined = System.currentTimeMillis();
            Client reader = Client.connect(http, server.ws("cam") + "?stats=1");
            await().atMost(SERVER).until(() -> server.module.viewerCount("cam") == 2);
            // The stalled viewer is cut off after the write deadline; the reader keeps getting frames meanwhile.
            await().atMost(SERVER).until(() -> server.module.viewerCount("cam") == 1);
            int countAtCut = reader.delaysMs.size();
            await("video frames for the reader after the cut").atMost(CAMERA).until(() -> reader.delaysMs.size() > countAtCut + 20);
            // Each frame's delay from the hub receiving it to the reader getting it, for the frames the camera sent
            // after the reader joined (those before are the cached GOP, old by design). A viewer blocked behind the
            // stalled one would wait until the stalled one is cut, a whole write deadline; half of it is the bound.
            // The gap between arrivals is no measure of the hub: it also counts the camera's own pauses under load.
            long maxDelayMs = reader.delaysMs.stream().filter(d -> d[0] >= readerJoined).mapToLong(d -> d[1]).max().orElseThrow();
            long bound = (long) (MEDIA.writeDeadlineSeconds() * 1000 / 2);
            assertThat(maxDelayMs).as("longest delay of a frame to the reading viewer, hub to viewer").isLessThan(bound);
            stalled.close();
        }
    }

    @Test
    void aSlowViewerThatKeepsUpIsNeverDropped() throws Exception {
        try (MediaServer server = new MediaServer(MEDIA, Map.of("cam", MediaServer.camera(320, 240, 300, "none")))) {
            awaitLive(server, 1);
            // A viewer on a thin line: a tiny receive window, read 4 KB at a time at about 160 KB/s, four
            // times the camera's 300 kbit/s, so the hub's writes wait on it all the time yet it keeps up.
            Socket slow = rawViewer(server, "cam");
            AtomicLong read = new AtomicLong();
            Thread reader = new Thread(() -> {
                byte[] chunk = new byte[4096];
                try (java.io.InputStream in = slow.getInputStream()) {
                    for (int n; (n = in.read(chunk)) >= 0; ) {
                        read.addAndGet(n);
                        java.util.concurrent.locks.LockSupport.parkNanos(25_000_000); // the line's pace, not a wait for a condition
                    }
                } catch (java.io.IOException closed) {
                    // the test ended
                }
            }, "slow-viewer");
            reader.setDaemon(true);
            reader.start();
            await().atMost(SERVER).until(() -> server.module.viewerCount("cam") == 1);
            // Five write deadlines long, the hub keeps it and it keeps getting video.
            long before = read.get();
            await("the slow viewer kept for five write deadlines").atMost(CAMERA)
                    .during(Duration.ofMillis((long) (MEDIA.writeDeadlineSeconds() * 5000)))
                    .until(() -> server.module.viewerCount("cam") == 1);
            await("video for the slow viewer").atMost(CAMERA).until(() -> read.get() > before + 100_000);
            assertThat(server.module.viewerCount("cam")).isEqualTo(1);
            slow.close();
        }
    }

    /** Waits until the given number of cameras are live and returns {@code /api/cameras}. */
    static JsonNode awaitLive(MediaServer server, int cameras) {
        HttpClient http = HttpClient.newHttpClient();
        AtomicReference<JsonNode> list = new AtomicReference<>();
        await(cameras + " cameras live").atMost(CAMERA).ignoreExceptions().until(() -> {
            String body = http.send(HttpRequest.newBuilder(URI.create(server.http() + "/api/cameras")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            JsonNode cams = new ObjectMapper().readTree(body);
            list.set(cams);
            int live = 0;
            for (JsonNode c : cams) {
                if (c.get("state").asText().equals("live")) {
                    live++;
                }
            }
            return live == cameras;
        });
        return list.get();
    }

    /**
     * A WebSocket viewer that reads everything and, for each video frame of a timing message, records when the
     * hub received the frame from the camera (epoch ms) and how long after that it arrived here.
     */
    static final class Client implements WebSocket.Listener {
        private static final ObjectMapper TIMING = new ObjectMapper();
        final List<String> text = new CopyOnWriteArrayList<>();
        final List<byte[]> binary = new CopyOnWriteArrayList<>();
        /** When each video frame arrived (nanoTime). */
        final List<Long> arrivals = new CopyOnWriteArrayList<>();
        final List<long[]> delaysMs = new CopyOnWriteArrayList<>();
        final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        final StringBuilder partialText = new StringBuilder();
        WebSocket ws;

        static Client connect(HttpClient http, String url) throws Exception {
            Client c = new Client();
            c.ws = http.newWebSocketBuilder().buildAsync(URI.create(url), c).get(SERVER.toSeconds(), TimeUnit.SECONDS);
            return c;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partialText.append(data);
            if (last) {
                String s = partialText.toString();
                partialText.setLength(0);
                if (text.size() < 2000) {
                    text.add(s);
                }
                if (s.contains("\"type\":\"t\"")) {
                    long now = System.currentTimeMillis();
                    long nanos = System.nanoTime();
                    try {
                        for (JsonNode f : TIMING.readTree(s).get("f")) {
                            long received = f.get(1).asLong();
                            delaysMs.add(new long[]{received, now - received});
                            arrivals.add(nanos);
                        }
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            partial.writeBytes(b);
            if (last) {
                if (binary.size() < 2000) {
                    binary.add(partial.toByteArray());
                }
                partial.reset();
            }
            webSocket.request(1);
            return null;
        }
    }
}

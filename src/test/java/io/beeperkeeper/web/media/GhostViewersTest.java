package io.beeperkeeper.web.media;

import io.beeperkeeper.config.MediaConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static io.beeperkeeper.web.media.MseOutputTest.await;
import static io.beeperkeeper.web.media.MseOutputTest.awaitLive;
import static org.assertj.core.api.Assertions.assertThat;

/** WebSocket viewers that leave at once are not counted, and one address cannot open connections without limit. */
class GhostViewersTest {
    /** The production write deadline (10 s) and viewer cap; no connection rate limit in the way. */
    static final MediaConfig OPEN = new MediaConfig("ffmpeg", 5, 20, 30, true, 90, 10, 200, 100_000);
    /** The production limits. */
    static final MediaConfig LIMITED = MediaConfig.defaults();

    @Test
    void fourHundredQuickConnectAndCloseDoNotFillMaxViewers() throws Exception {
        try (MediaServer server = new MediaServer(OPEN, Map.of("cam", MediaServer.camera(320, 240, 300, "none")))) {
            awaitLive(server, 1);
            for (int i = 0; i < 400; i++) {
                try (Socket s = upgrade(server.app.port(), "/api/cameras/cam/ws")) {
                    assertThat(statusLine(s)).contains("101");
                }
            }
            // a real viewer right after the burst gets the video
            MseOutputTest.Client viewer = MseOutputTest.Client.connect(HttpClient.newHttpClient(), server.ws("cam"));
            await(() -> viewer.text.size() > 0 && viewer.binary.size() > 2, 10);
            assertThat(viewer.text.get(0)).contains("\"type\":\"init\"");
            // closed sockets are not counted, long before the 10 s write deadline could sweep them
            await(() -> server.module.viewerCount("cam") == 1, 3);
        }
    }

    @Test
    void oneAddressOpeningConnectionsFasterThanMaxConnectsPerSecondGets429() throws Exception {
        try (MediaServer server = new MediaServer(LIMITED, Map.of("cam", MediaServer.camera(320, 240, 300, "none")))) {
            awaitLive(server, 1);
            int upgraded = 0;
            int refused = 0;
            for (int i = 0; i < 100; i++) {
                try (Socket s = upgrade(server.app.port(), "/api/cameras/cam/ws")) {
                    String status = statusLine(s);
                    if (status.contains(" 101")) {
                        upgraded++;
                    } else if (status.contains(" 429")) {
                        refused++;
                    } else {
                        throw new AssertionError("unexpected answer " + status);
                    }
                }
            }
            assertThat(upgraded).as("a burst of media.maxConnectsPerSecond (20) is let in").isGreaterThanOrEqualTo(20).isLessThan(60);
            assertThat(refused).isGreaterThan(40);
            await(() -> server.module.viewerCount("cam") == 0, 3);
        }
    }

    /** Opens a WebSocket upgrade on a raw socket (the test reads the answer itself). */
    static Socket upgrade(int port, String path) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port));
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[16]) + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    /** The status line of the answer, after reading its headers. */
    static String statusLine(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        String h = head.toString();
        return h.isEmpty() ? "(no answer)" : h.substring(0, h.indexOf('\r') < 0 ? h.length() : h.indexOf('\r'));
    }
}

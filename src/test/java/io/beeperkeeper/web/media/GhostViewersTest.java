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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.beeperkeeper.web.media.MseOutputTest.CAMERA;
import static io.beeperkeeper.web.media.MseOutputTest.SERVER;
import static io.beeperkeeper.web.media.MseOutputTest.awaitLive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** WebSocket viewers that leave at once are not counted, and one address cannot open connections without limit. */
class GhostViewersTest {
    /**
     * The production viewer cap, no connection rate limit in the way, and the longest write deadline (120 s):
     * the sweeper cannot uncount a ghost within the tests' waits, only the socket's close can.
     */
    static final MediaConfig OPEN = new MediaConfig("ffmpeg", 5, 20, 30, true, 90, 120, 200, 100_000);
    /** The production viewer cap and connection rate limit, and the longest write deadline, as above. */
    static final MediaConfig LIMITED = new MediaConfig("ffmpeg", 5, 20, 30, true, 90, 120,
            MediaConfig.defaults().maxViewers(), MediaConfig.defaults().maxConnectsPerSecond());

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
            await().atMost(CAMERA).until(() -> viewer.text.size() > 0 && viewer.binary.size() > 2);
            assertThat(viewer.text.get(0)).contains("\"type\":\"init\"");
            // closed sockets are not counted, long before the write deadline could sweep them
            await().atMost(SERVER).until(() -> server.module.viewerCount("cam") == 1);
        }
    }

    @Test
    void oneAddressOpeningConnectionsFasterThanMaxConnectsPerSecondGets429() throws Exception {
        try (MediaServer server = new MediaServer(LIMITED, Map.of("cam", MediaServer.camera(320, 240, 300, "none")))) {
            awaitLive(server, 1);
            // All requests go out before any answer is read, so the burst reaches the hub as fast as the machine
            // allows; the bucket refills at 20 a second meanwhile, so the bound on upgrades grows with the time taken.
            int upgraded = 0;
            int refused = 0;
            List<Socket> sockets = new ArrayList<>();
            long start = System.nanoTime();
            double seconds;
            try {
                for (int i = 0; i < 100; i++) {
                    sockets.add(upgrade(server.app.port(), "/api/cameras/cam/ws"));
                }
                for (Socket s : sockets) {
                    String status = statusLine(s);
                    if (status.contains(" 101")) {
                        upgraded++;
                    } else if (status.contains(" 429")) {
                        refused++;
                    } else {
                        throw new AssertionError("unexpected answer " + status);
                    }
                }
                seconds = (System.nanoTime() - start) / 1e9;
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
            int perSecond = LIMITED.maxConnectsPerSecond();
            int mostAllowed = perSecond + (int) Math.ceil(perSecond * seconds);
            assertThat(upgraded).as("a burst of media.maxConnectsPerSecond (20) is let in, then 20 a second (%.2f s)", seconds)
                    .isGreaterThanOrEqualTo(perSecond).isLessThanOrEqualTo(mostAllowed);
            assertThat(refused).as("refused with 429 in %.2f s", seconds).isEqualTo(100 - upgraded).isGreaterThanOrEqualTo(100 - mostAllowed);
            assertThat(mostAllowed).as("the burst took %.2f s: too slow to show the limit", seconds).isLessThan(100);
            await().atMost(SERVER).until(() -> server.module.viewerCount("cam") == 0);
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

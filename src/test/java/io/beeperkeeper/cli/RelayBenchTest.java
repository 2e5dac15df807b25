package io.beeperkeeper.cli;

import io.beeperkeeper.App;
import io.beeperkeeper.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code beeper bench relay} against a whole hub: its load client (another JVM) gets video on every
 * socket and the command prints a row per step; and the video socket declines the
 * {@code permessage-deflate} every browser offers (deflating video again for each viewer was most of
 * what a viewer cost).
 */
class RelayBenchTest {
    @TempDir
    static Path dir;
    static App hub;

    @BeforeAll
    static void start() {
        hub = TestHub.start(dir, Map.of());
        await().atMost(Duration.ofSeconds(90)).until(RelayBenchTest::cameraLive);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    static boolean cameraLive() throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base() + "/api/cameras")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return body.split("\"state\":\"live\"", -1).length == 3;
    }

    static String base() {
        return "http://127.0.0.1:" + hub.webPort();
    }

    @Test
    void benchPrintsTheCostOfEachStepWithItsOwnLoadClient() {
        StringWriter out = new StringWriter();
        int code = BeeperCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true))
                .execute("bench", "relay", "--url", base(), "--viewers", "2", "--seconds", "2", "--settle", "1", "--warmup", "0");
        assertThat(code).as(out.toString()).isZero();
        List<String[]> rows = out.toString().lines().map(String::trim).filter(l -> l.matches("^\\d+\\s+\\d+\\s+.*"))
                .map(l -> l.split("\\s+")).toList();
        assertThat(rows).as(out.toString()).hasSize(2);
        assertThat(rows.get(0)[0]).isEqualTo("0");
        assertThat(rows.get(1)[0]).isEqualTo("2");
        assertThat(rows.get(1)[1]).isEqualTo("4"); // two cameras
        assertThat(Double.parseDouble(rows.get(1)[7])).as("Mbit/s delivered").isPositive();
        assertThat(Double.parseDouble(rows.get(1)[8])).as("messages a second per stream").isGreaterThan(5);
        assertThat(out.toString()).contains("hub pid " + ProcessHandle.current().pid());
    }

    @Test
    void theHubsAgeComesFromItsStartTime() throws Exception {
        double jvmUp = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
        assertThat(ProcessFigures.ageSeconds(ProcessHandle.current().pid())).isBetween(jvmUp - 2, jvmUp + 5);
    }

    @Test
    void theHubIsFoundByItsListeningPort() throws Exception {
        assertThat(ProcessFigures.listeningPid(hub.webPort())).isEqualTo(OptionalLong.of(ProcessHandle.current().pid()));
    }

    @Test
    void theVideoSocketDeclinesPermessageDeflate() throws Exception {
        try (Socket s = new Socket("127.0.0.1", hub.webPort())) {
            s.setSoTimeout(10_000);
            OutputStream o = s.getOutputStream();
            o.write(("GET /api/cameras/csi/ws HTTP/1.1\r\nHost: 127.0.0.1:" + hub.webPort() + "\r\nConnection: Upgrade\r\n"
                    + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            o.flush();
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                head.append((char) c);
            }
            assertThat(head.toString()).startsWith("HTTP/1.1 101").doesNotContainIgnoringCase("Sec-WebSocket-Extensions");
        }
    }
}

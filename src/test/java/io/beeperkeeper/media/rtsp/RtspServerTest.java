package io.beeperkeeper.media.rtsp;

import io.beeperkeeper.StartupException;
import io.beeperkeeper.config.CameraConfig;
import io.beeperkeeper.config.MediaConfig;
import io.beeperkeeper.config.RtspConfig;
import io.beeperkeeper.media.Cameras;
import io.beeperkeeper.media.Ffmpeg;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * RTSP out against real clients: ffprobe and ffmpeg (over TCP and UDP) read two live test cameras,
 * one with Opus; a login refuses wrong credentials; garbage, huge headers and a flood of connections
 * leave the server serving.
 */
class RtspServerTest {
    static final MediaConfig MEDIA = new MediaConfig("ffmpeg", 5, 30, 30, true, 90, 5, 10, 20);
    static Cameras cameras;
    static RtspServer open;
    static RtspServer locked;
    static RtspServer tight;

    static CameraConfig camera(String audio) {
        return new CameraConfig("test", 320, 240, 15, 300, 1.0, null, audio, null, null, null, null).validated("t");
    }

    static RtspConfig config(int port, String user, String password, int maxClients) {
        return new RtspConfig(true, "127.0.0.1", port, 0, user, password, maxClients, 30);
    }

    @BeforeAll
    static void start() {
        Map<String, CameraConfig> c = new LinkedHashMap<>();
        c.put("csi", camera("none"));
        c.put("usb", camera("opus"));
        c.put("gate", camera("aac"));
        cameras = new Cameras(c, MEDIA);
        cameras.start();
        open = new RtspServer(config(0, "", "", 6), cameras::stream);
        open.start();
        locked = new RtspServer(config(0, "keeper", "s3cret pass", 6), cameras::stream);
        locked.start();
        // a small budget per slow client and a session timeout far off, so only being slow gets it dropped
        tight = new RtspServer(new RtspConfig(true, "127.0.0.1", 0, 0, "", "", 6, 3600), cameras::stream,
                new RtspServer.SlowClient(64 * 1024, 2_000, 16 * 1024));
        tight.start();
        await().atMost(Duration.ofSeconds(90)).until(() -> cameras.stream("csi").flatMap(s -> s.tracks()).isPresent()
                && cameras.stream("usb").flatMap(s -> s.tracks()).isPresent()
                && cameras.stream("gate").flatMap(s -> s.tracks()).isPresent());
    }

    @AfterAll
    static void stop() {
        if (open != null) {
            open.close();
        }
        if (locked != null) {
            locked.close();
        }
        if (tight != null) {
            tight.close();
        }
        if (cameras != null) {
            cameras.close();
        }
    }

    static String url(RtspServer s, String camera) {
        return "rtsp://127.0.0.1:" + s.port() + "/" + camera;
    }

    static Ffmpeg.Result probe(String transport, String url) throws Exception {
        return Ffmpeg.run("ffprobe", "-v", "error", "-rtsp_transport", transport, "-show_entries", "stream=codec_name,width,height",
                "-of", "csv=p=0", url);
    }

    /** Pulls frames as a recorder would and decodes them; the decoded frames' lines of ffmpeg's framecrc. */
    static List<String> pull(String transport, String url, int frames) throws Exception {
        Ffmpeg.Result r = Ffmpeg.run("ffmpeg", "-hide_banner", "-v", "error", "-rtsp_transport", transport, "-i", url,
                "-map", "0:v", "-frames:v", String.valueOf(frames), "-f", "framecrc", "-");
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stderr()).as("decoder complaints").doesNotContainIgnoringCase("error while decoding").doesNotContain("corrupt");
        return r.stdout().lines().filter(l -> l.startsWith("0,")).toList();
    }

    @Test
    void ffprobeReadsH264AndTheCamerasOpusOrAacOverTcpAndUdp() throws Exception {
        Ffmpeg.Result tcp = probe("tcp", url(open, "usb"));
        assertThat(tcp.exit()).as(tcp.stderr()).isZero();
        assertThat(tcp.stdout().lines().toList()).containsExactly("h264,320,240", "opus");
        Ffmpeg.Result udp = probe("udp", url(open, "csi"));
        assertThat(udp.exit()).as(udp.stderr()).isZero();
        assertThat(udp.stdout().lines().toList()).containsExactly("h264,320,240");
        Ffmpeg.Result aac = probe("tcp", url(open, "gate"));
        assertThat(aac.exit()).as(aac.stderr()).isZero();
        assertThat(aac.stdout().lines().toList()).as("an AAC camera (an IP camera's copied audio)").containsExactly("h264,320,240", "aac");
    }

    @Test
    void ffmpegPullsAndDecodesSecondsOfVideoOverTcpAndOverUdp() throws Exception {
        assertThat(pull("tcp", url(open, "usb"), 45)).hasSize(45);
        assertThat(pull("udp", url(open, "csi"), 45)).hasSize(45);
        Ffmpeg.Result audio = Ffmpeg.run("ffmpeg", "-hide_banner", "-v", "error", "-rtsp_transport", "udp", "-i", url(open, "usb"),
                "-map", "0:a", "-t", "2", "-f", "framecrc", "-");
        assertThat(audio.exit()).as(audio.stderr()).isZero();
        assertThat(audio.stdout().lines().filter(l -> l.startsWith("0,")).count()).as("20 ms Opus frames decoded over UDP")
                .isGreaterThan(50);
        Ffmpeg.Result aac = Ffmpeg.run("ffmpeg", "-hide_banner", "-v", "error", "-rtsp_transport", "tcp", "-i", url(open, "gate"),
                "-map", "0:a", "-t", "2", "-f", "framecrc", "-");
        assertThat(aac.exit()).as(aac.stderr()).isZero();
        assertThat(aac.stdout().lines().filter(l -> l.startsWith("0,")).count()).as("AAC frames decoded over TCP").isGreaterThan(50);
    }

    @Test
    void aLoginIsRequiredAndWrongCredentialsAreRefused() throws Exception {
        Ffmpeg.Result none = probe("tcp", url(locked, "csi"));
        assertThat(none.exit()).isNotZero();
        assertThat(none.stderr()).contains("401");
        Ffmpeg.Result wrong = probe("tcp", "rtsp://keeper:guess@127.0.0.1:" + locked.port() + "/csi");
        assertThat(wrong.exit()).isNotZero();
        assertThat(wrong.stderr()).contains("401");
        Ffmpeg.Result digest = probe("tcp", "rtsp://keeper:s3cret%20pass@127.0.0.1:" + locked.port() + "/csi");
        assertThat(digest.exit()).as(digest.stderr()).isZero();
        assertThat(digest.stdout()).contains("h264");

        String basic = Base64.getEncoder().encodeToString("keeper:s3cret pass".getBytes(StandardCharsets.UTF_8));
        String ok = exchange(locked, "DESCRIBE " + url(locked, "csi") + " RTSP/1.0\r\nCSeq: 1\r\nAuthorization: Basic " + basic + "\r\n\r\n");
        assertThat(ok).startsWith("RTSP/1.0 200").contains("sprop-parameter-sets=");
        String bad = exchange(locked, "DESCRIBE " + url(locked, "csi") + " RTSP/1.0\r\nCSeq: 2\r\nAuthorization: Basic "
                + Base64.getEncoder().encodeToString("keeper:nope".getBytes(StandardCharsets.UTF_8)) + "\r\n\r\n");
        assertThat(bad).startsWith("RTSP/1.0 401").contains("WWW-Authenticate: Digest realm=\"Beeper Keeper\", nonce=")
                .contains("WWW-Authenticate: Basic realm=\"Beeper Keeper\"");
    }

    @Test
    void describeAnswersTheSdpAndUnknownCamerasAre404() throws Exception {
        String sdp = exchange(open, "DESCRIBE " + url(open, "usb") + " RTSP/1.0\r\nCSeq: 7\r\n\r\n");
        assertThat(sdp).startsWith("RTSP/1.0 200").contains("CSeq: 7").contains("Content-Type: application/sdp")
                .contains("Content-Base: " + url(open, "usb") + "/").contains("a=rtpmap:96 H264/90000")
                .contains("packetization-mode=1;profile-level-id=42C0").contains("a=rtpmap:97 opus/48000/2")
                .contains("a=control:trackID=1");
        assertThat(exchange(open, "DESCRIBE " + url(open, "nobody") + " RTSP/1.0\r\nCSeq: 1\r\n\r\n")).startsWith("RTSP/1.0 404");
        assertThat(exchange(open, "OPTIONS * RTSP/1.0\r\nCSeq: 3\r\n\r\n")).startsWith("RTSP/1.0 200")
                .contains("Public: " + RtspConnection.PUBLIC);
    }

    @Test
    void garbageHugeHeadersAndAFloodOfConnectionsLeaveTheServerServing() throws Exception {
        String garbage = exchange(open, "\u0001\u0002 this is not RTSP at all\r\n\r\n");
        assertThat(garbage).satisfiesAnyOf(g -> assertThat(g).isEmpty(), g -> assertThat(g).startsWith("RTSP/1.0 400"));
        String huge = exchange(open, "DESCRIBE " + url(open, "csi") + " RTSP/1.0\r\nCSeq: 1\r\nX-Pad: " + "a".repeat(100_000) + "\r\n\r\n");
        assertThat(huge).as("headers over the cap close the connection unanswered").isEmpty();
        assertThat(exchange(open, "DESCRIBE " + url(open, "csi") + " RTSP/1.0\r\n\r\n")).as("no CSeq").startsWith("RTSP/1.0 400");

        List<Socket> flood = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                flood.add(new Socket("127.0.0.1", open.port()));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> open.clients() == 6);
            try (Socket extra = new Socket("127.0.0.1", open.port())) {
                extra.setSoTimeout(20_000);
                assertThat(extra.getInputStream().read()).as("one client over rtsp.maxClients is closed at once").isEqualTo(-1);
            }
        } finally {
            for (Socket s : flood) {
                s.close();
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> open.clients() == 0);
        Ffmpeg.Result after = probe("tcp", url(open, "usb"));
        assertThat(after.exit()).as(after.stderr()).isZero();
    }

    @Test
    void aClientThatStopsReadingIsDroppedWhileOthersKeepPlaying() throws Exception {
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new java.net.InetSocketAddress("127.0.0.1", tight.port()));
            slow.setSoTimeout(10_000);
            String base = url(tight, "usb") + "/";
            assertThat(request(slow, "DESCRIBE " + url(tight, "usb") + " RTSP/1.0\r\nCSeq: 1\r\n\r\n")).startsWith("RTSP/1.0 200");
            String setup = request(slow, "SETUP " + base + "trackID=0 RTSP/1.0\r\nCSeq: 2\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n");
            assertThat(setup).startsWith("RTSP/1.0 200").contains("Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
            String session = setup.lines().filter(l -> l.startsWith("Session: ")).findFirst().orElseThrow().substring(9).split(";")[0];
            assertThat(request(slow, "PLAY " + base + " RTSP/1.0\r\nCSeq: 3\r\nSession: " + session + "\r\n\r\n"))
                    .startsWith("RTSP/1.0 200").contains("RTP-Info: url=" + base + "trackID=0;seq=");
            // ... and reads nothing more
            assertThat(pull("tcp", url(tight, "usb"), 30)).as("another client plays meanwhile").hasSize(30);
            await().atMost(Duration.ofSeconds(120)).until(() -> tight.slowClientsDropped() == 1 && tight.clients() == 0);
            assertThat(tight.health().detail()).contains("1 slow client(s) dropped");
        }
    }

    /** Writes one request and reads its answer (headers and body), nothing after it. */
    static String request(Socket s, String request) throws IOException {
        s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        int body = RtspFraming.contentLength(head.toString());
        return head + new String(in.readNBytes(body), StandardCharsets.ISO_8859_1);
    }

    @Test
    void aPortInUseNamesTheSettingThatMovesIt() {
        RtspServer clash = new RtspServer(config(open.port(), "", "", 5), cameras::stream);
        assertThatThrownBy(clash::start).isInstanceOf(StartupException.class).hasMessageContaining("rtsp.port")
                .hasMessageContaining(String.valueOf(open.port()));
    }

    /** Sends raw bytes and reads the answer until the server stops sending for a moment or closes. */
    static String exchange(RtspServer s, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", s.port())) {
            socket.setSoTimeout(3_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException e) {
                // the server may close while a huge request is still being written
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    got.write(buf, 0, n);
                    String text = got.toString(StandardCharsets.ISO_8859_1);
                    int head = text.indexOf("\r\n\r\n");
                    if (head >= 0) {
                        int body = RtspFraming.contentLength(text.substring(0, head + 4));
                        if (text.length() >= head + 4 + body) {
                            break;
                        }
                    }
                }
            } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
                // nothing more
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }
}

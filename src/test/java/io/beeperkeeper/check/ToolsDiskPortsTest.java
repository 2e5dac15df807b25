package io.beeperkeeper.check;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The ffmpeg probe with fake ffmpeg builds, the data folder's disk, and the ports (real sockets on loopback). */
class ToolsDiskPortsTest {
    static final String ENCODERS_FULL = """
            Encoders:
             V..... = Video
             A..... = Audio
             ------
             V....D libx264              libx264 H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10 (codec h264)
             V..... h264_v4l2m2m         V4L2 mem2mem H.264 encoder wrapper (codec h264)
             A....D aac                  AAC (Advanced Audio Coding)
             A....D libopus              libopus Opus (codec opus)
            """;

    @TempDir
    Path dir;
    FakeMachine m;

    @BeforeEach
    void machine() {
        m = new FakeMachine(dir);
    }

    private void ffmpeg(String encoders) {
        m.command("ffmpeg", "case \"$*\" in\n*-version*) echo 'ffmpeg version 5.1.6-0+deb12u1+rpt1 Copyright (c) 2000-2024' ;;\n"
                + "*-encoders*) cat <<'EOF'\n" + encoders + "EOF\n;;\nesac");
    }

    @Test
    void ffmpegWithEveryEncoderTheCamerasNeed() {
        ffmpeg(ENCODERS_FULL);
        Report r = FakeMachine.run(new FfmpegProbe(m.host()), m.config("node:\n  name: coop\n"));
        assertThat(r.in(Area.FFMPEG)).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(Status.OK);
            assertThat(f.detail()).contains("5.1.6-0+deb12u1+rpt1", "libx264, h264_v4l2m2m, libopus, aac");
        });
    }

    @Test
    void anFfmpegWithoutLibx264OrLibopusIsMissingThem() {
        ffmpeg(ENCODERS_FULL.replaceAll("(?m)^.*(libx264|libopus).*\n", ""));
        Report r = FakeMachine.run(new FfmpegProbe(m.host()), m.config("node:\n  name: coop\n"));
        assertThat(r.in(Area.FFMPEG)).filteredOn(f -> f.status() == Status.MISSING).extracting(Finding::name)
                .containsExactly("libx264", "libopus");
        assertThat(r.in(Area.FFMPEG)).filteredOn(f -> f.name().equals("ffmpeg")).singleElement()
                .satisfies(f -> assertThat(f.detail()).contains("not libx264, libopus"));
    }

    @Test
    void withoutFfmpegTheFixInstallsIt() {
        Report r = FakeMachine.run(new FfmpegProbe(m.host()), m.config("node:\n  name: coop\n"));
        assertThat(r.in(Area.FFMPEG)).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(Status.MISSING);
            assertThat(f.fix().lines()).containsExactly("sudo apt-get install -y ffmpeg");
        });
        assertThat(r.blockers()).isZero();
    }

    @Test
    void theDataFolderShowsItsFreeSpace() {
        Report r = FakeMachine.run(new DiskProbe(), m.config("node:\n  name: coop\n"));
        assertThat(r.in(Area.DISK)).singleElement().satisfies(f -> {
            assertThat(f.status()).isNotEqualTo(Status.BLOCKER);
            assertThat(f.detail()).contains(dir.resolve("data").toString(), "free of");
        });
    }

    @Test
    void aDataFolderThatCannotBeCreatedIsABlocker() throws IOException {
        Files.writeString(dir.resolve("a-file"), "");
        Report r = FakeMachine.run(new DiskProbe(), new io.beeperkeeper.config.ConfigLoader().load(null, java.util.Map.of(),
                java.util.Map.of("data.dir", dir.resolve("a-file/data").toString())));
        assertThat(r.in(Area.DISK)).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(Status.BLOCKER);
            assertThat(f.detail()).contains("cannot be created");
        });
        assertThat(r.runWillWork()).isFalse();
    }

    @Test
    void freePortsAreOkAndWhatRunListensOn() {
        Report r = FakeMachine.run(new PortProbe(), m.config(FakeMachine.freePorts()));
        assertThat(r.in(Area.PORT)).hasSize(5).allSatisfy(f -> assertThat(f.status()).isEqualTo(Status.OK));
        assertThat(r.runWillUse()).singleElement().satisfies(u -> assertThat(u).startsWith("ports: web page tcp/"));
    }

    @Test
    void aTakenTcpOrUdpPortIsABlockerWithAFreePortToPaste() throws IOException {
        try (ServerSocket web = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            String yaml = FakeMachine.freePorts().replaceFirst("(?m)^  port: \\d+", "  port: " + web.getLocalPort())
                    .replaceFirst("udpPort: \\d+", "udpPort: " + udp.getLocalPort());
            Report r = FakeMachine.run(new PortProbe(), m.config(yaml));
            assertThat(r.blockers()).isEqualTo(2);
            Finding w = r.in(Area.PORT).stream().filter(f -> f.name().equals("tcp/" + web.getLocalPort())).findFirst().orElseThrow();
            assertThat(w.status()).isEqualTo(Status.BLOCKER);
            assertThat(w.detail()).contains("web.port", "in use");
            assertThat(w.fix().lines()).hasSize(2).first().isEqualTo("web:");
            int suggested = Integer.parseInt(w.fix().lines().get(1).replace("  port: ", ""));
            assertThat(suggested).isGreaterThan(web.getLocalPort());
            assertThat(r.in(Area.PORT)).filteredOn(f -> f.name().equals("udp/" + udp.getLocalPort())).singleElement()
                    .satisfies(f -> assertThat(f.fix().lines()).first().isEqualTo("webrtc:"));
        }
    }

    @Test
    void portsHeldByAHubAlreadyRunningHereAreNoBlockers() throws IOException {
        HttpServer hub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hub.createContext("/api/health", x -> {
            byte[] body = "{\"status\":\"up\",\"version\":\"0.1.0\",\"components\":{}}".getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        hub.start();
        try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            String yaml = FakeMachine.freePorts().replaceFirst("(?m)^  port: \\d+", "  port: " + hub.getAddress().getPort())
                    .replaceFirst("udpPort: \\d+", "udpPort: " + udp.getLocalPort());
            Report r = FakeMachine.run(new PortProbe(), m.config(yaml));
            assertThat(r.blockers()).isZero();
            assertThat(r.in(Area.PORT)).filteredOn(f -> f.status() == Status.MISSING).hasSize(2)
                    .allSatisfy(f -> assertThat(f.detail()).contains("held by the Beeper Keeper hub already running here (version 0.1.0, up)"));
        } finally {
            hub.stop(0);
        }
    }
}

package io.beeperkeeper.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code beeper check} as the jar runs it: text and --json on a fake sys/proc/dev tree, the exit status
 * of a blocker, and a smoke run on this very machine (no camera hardware here; ffmpeg is).
 */
class CheckCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int check(String... args) {
        CommandLine cli = BeeperCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("check"));
        all.addAll(List.of(args));
        return cli.execute(all.toArray(String[]::new));
    }

    /** A settings file with every port free, a webcam camera and the data folder in the temp dir. */
    private Path settings(int webPort) throws IOException {
        Path yaml = dir.resolve("beeper.yaml");
        Files.writeString(yaml, "web:\n  host: 127.0.0.1\n  port: " + webPort + "\n"
                + "mqtt:\n  port: " + Ports.freePort() + "\n"
                + "webrtc:\n  enabled: false\n"
                + "rtsp:\n  enabled: false\n"
                + "data:\n  dir: " + dir.resolve("data") + "\n"
                + "cameras:\n  usb:\n    source: v4l2\n    device: /dev/video0\n    audio: opus\n");
        return yaml;
    }

    /** A Pi-like tree: one webcam, HDMI audio plus a USB microphone, I2C bus 1 with no chip answering, a thermal zone. */
    private Path fakeRoot() throws IOException {
        Path root = dir.resolve("root");
        write(root.resolve("dev/video0"), "");
        write(root.resolve("sys/class/video4linux/video0/name"), "USB Camera\n");
        write(root.resolve("dev/i2c-1"), "");
        write(root.resolve("sys/class/thermal/thermal_zone0/temp"), "51234\n");
        write(root.resolve("proc/asound/cards"), " 0 [vc4hdmi        ]: vc4-hdmi - vc4-hdmi\n 1 [Device         ]: USB-Audio - USB PnP Sound Device\n");
        write(root.resolve("proc/asound/pcm"), "00-00: MAI : MAI : playback 1\n01-00: USB Audio : USB Audio : playback 1 : capture 1\n");
        return root;
    }

    private static void write(Path p, String text) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @Test
    void textNamesWhatRunWillUseWhatIsMissingAndTheFix() throws IOException {
        int code = check("--root", fakeRoot().toString(), "--config", settings(Ports.freePort()).toString());
        String text = out.toString();
        assertThat(code).as(text + err).isZero();
        assertThat(text).startsWith("Beeper Keeper check")
                .contains("ok       camera     usb: /dev/video0 (USB Camera)")
                .contains("missing  microphone usb: audioDevice default opens no microphone")
                .contains("fix: paste into beeper.yaml:", "    audioDevice: plughw:CARD=Device,DEV=0")
                .contains("missing  bme680     /dev/i2c-1 0x77: no BME680 answers")
                .contains("ok       cpu        temperature")
                .contains("What 'beeper run' will use:", "  camera usb: /dev/video0 USB Camera YUYV 640x480@10 through ffmpeg/libx264")
                .contains("  sensors: CPU temperature")
                .contains("beeper run will start (");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void jsonGivesTheSameFindingsToScripts() throws IOException {
        Path root = fakeRoot();
        Path config = settings(Ports.freePort());
        assertThat(check("--root", root.toString(), "--config", config.toString())).isZero();
        String text = sizesOut(out.toString());
        out.getBuffer().setLength(0);
        assertThat(check("--root", root.toString(), "--config", config.toString(), "--json")).isZero();
        JsonNode report = new ObjectMapper().readTree(out.toString());
        assertThat(report.get("runWillWork").asBoolean()).isTrue();
        assertThat(report.get("blockers").asInt()).isZero();
        assertThat(report.get("runWillUse")).isNotEmpty();
        for (JsonNode u : report.get("runWillUse")) {
            assertThat(text).contains("  " + sizesOut(u.asText()) + "\n");
        }
        for (JsonNode f : report.get("findings")) {
            assertThat(f.get("status").asText()).isIn("ok", "missing", "blocker");
            assertThat(text).contains(f.get("area").asText() + " " .repeat(Math.max(1, 11 - f.get("area").asText().length()))
                    + f.get("name").asText() + ": " + sizesOut(f.get("detail").asText()));
        }
        JsonNode mic = findings(report, "microphone", "usb");
        assertThat(mic.get("status").asText()).isEqualTo("missing");
        assertThat(mic.get("fix").get("kind").asText()).isEqualTo("paste");
        assertThat(mic.get("fix").get("where").asText()).isEqualTo("beeper.yaml");
        assertThat(mic.get("fix").get("lines").toString()).contains("audioDevice: plughw:CARD=Device,DEV=0");
    }

    @Test
    void aPortInUseIsABlockerAndTheExitStatusIsOne() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int code = check("--root", fakeRoot().toString(), "--config", settings(taken.getLocalPort()).toString());
            assertThat(code).as(out.toString()).isEqualTo(1);
            assertThat(out.toString()).contains("BLOCKER  port       tcp/" + taken.getLocalPort())
                    .contains("beeper run will NOT start: 1 blocker above.");
        }
    }

    @Test
    void settingsThatDoNotLoadAreABlockerNamingTheKey() throws IOException {
        Path yaml = dir.resolve("bad.yaml");
        Files.writeString(yaml, "sensors:\n  mode: sometimes\n");
        assertThat(check("--root", fakeRoot().toString(), "--config", yaml.toString(), "--data", dir.resolve("d").toString(), "--json"))
                .isEqualTo(1);
        JsonNode settings = findings(new ObjectMapper().readTree(out.toString()), "settings", "file");
        assertThat(settings.get("status").asText()).isEqualTo("blocker");
        assertThat(settings.get("detail").asText()).contains("sensors.mode", "sometimes");
    }

    @Test
    void helpSaysWhichFindingsAreBlockers() {
        assertThat(check("--help")).isZero();
        assertThat(out.toString().replaceAll("\\s+", " ")).contains("Exit status: 0 when run will start", "1 when a blocker stops it", "--json")
                .doesNotContain("--root");
    }

    /** On this machine as it is: no camera or sensor hardware is assumed either way, ffmpeg is installed. */
    @Test
    void smokeOnThisMachine() throws IOException {
        int code = check("--config", settings(Ports.freePort()).toString(), "--json");
        JsonNode report = new ObjectMapper().readTree(out.toString());
        assertThat(code).isEqualTo(report.get("blockers").asInt() == 0 ? 0 : 1);
        JsonNode ffmpeg = findings(report, "ffmpeg", "ffmpeg");
        assertThat(ffmpeg.get("status").asText()).isEqualTo("ok");
        assertThat(ffmpeg.get("detail").asText()).contains("libx264", "libopus");
        assertThat(findings(report, "disk", "data.dir").get("detail").asText()).contains("GiB free of", dir.resolve("data").toString());
        assertThat(findings(report, "camera", "usb").get("status").asText()).isIn("ok", "missing");
        assertThat(report.get("findings").findValuesAsText("area")).contains("i2c", "bme680", "iio", "cpu", "vcgencmd", "port", "microphone");
    }

    /** Free disk space moves between two runs while other programs write: compare the rest. */
    private static String sizesOut(String text) {
        return text.replaceAll("\\d+(\\.\\d)? [MG]iB", "N");
    }

    private static JsonNode findings(JsonNode report, String area, String name) {
        for (JsonNode f : report.get("findings")) {
            if (f.get("area").asText().equals(area) && f.get("name").asText().equals(name)) {
                return f;
            }
        }
        throw new AssertionError("no finding " + area + "/" + name + " in " + report.toPrettyString());
    }
}

package io.beeperkeeper.packaging;

import io.beeperkeeper.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The built jar on a Pi's software: Debian 12's arm64 OpenJDK 17 (unpacked from Debian's archive,
 * cached) run by qemu-user-static, no binfmt registration needed. {@code beeper version --natives}
 * (the version line, then the SQLite and JNA natives loaded, whose ELF headers must say aarch64),
 * {@code bme680-decode} and a short {@code run} to {@code /api/health} must all work there; a jar
 * without its aarch64 natives must fail.
 */
class Arm64IT {
    static final Path JAR = Path.of("target/beeper-keeper.jar").toAbsolutePath();
    static final Duration COMMAND = Duration.ofMinutes(10);

    @TempDir
    Path tmp;
    Process hub;

    @AfterEach
    void stopHub() {
        if (hub != null && hub.isAlive()) {
            hub.descendants().forEach(ProcessHandle::destroyForcibly);
            hub.destroyForcibly();
        }
    }

    @Test
    void theJarRunsOnArm64Java() throws Exception {
        assertThat(JAR).as("the jar, built by mvn package").exists();
        long t0 = System.nanoTime();
        Path sysroot = DebianRoots.extractedRoot("arm64", List.of("openjdk-17-jre-headless"));
        long tRoot = System.nanoTime();

        // one JVM for both (each start costs a minute or more under emulation): the version line, then the natives
        DebianRoots.Result natives = arm64(JAR, "version", "--natives");
        assertThat(natives.code()).as(natives.all()).isZero();
        assertThat(natives.out()).startsWith("Beeper Keeper ").contains("Java 17.", "linux aarch64")
                .containsPattern("sqlite-jdbc: SQLite 3\\.\\S+, /\\S+sqlitejdbc\\S*\\.so \\(ELF aarch64\\)")
                .containsPattern("JNA: libjnidispatch for linux-aarch64, 64-bit, /\\S+ \\(ELF aarch64\\)");
        long tNatives = System.nanoTime();

        Path dump = Path.of("src/test/resources/bme68x/i2cdump-bme680.txt").toAbsolutePath();
        DebianRoots.Result decode = DebianRoots.run(COMMAND, dump, arm64Command(JAR, "bme680-decode", "--integer"));
        assertThat(decode.code()).as(decode.all()).isZero();
        assertThat(decode.out()).contains("\"temperature_c\":27.39", "\"pressure_pa\":96425", "\"variant\":\"BME680\"");
        long tDecode = System.nanoTime();

        int port = Ports.freePort();
        List<String> run = new ArrayList<>(arm64Command(JAR, "run", "--port", Integer.toString(port), "--data", tmp.resolve("data").toString()));
        Path hubLog = Files.createDirectories(Path.of("target", "arm64").toAbsolutePath()).resolve("hub.log");
        ProcessBuilder pb = new ProcessBuilder(run).directory(tmp.toFile()).redirectErrorStream(true)
                .redirectOutput(hubLog.toFile());
        // every port free or picked by the system: other hubs may run on this machine
        pb.environment().putAll(Map.of("BEEPER_WEB_HOST", "127.0.0.1", "BEEPER_MQTT_PORT", Integer.toString(Ports.freePort()),
                "BEEPER_WEBRTC_UDP_PORT", "0", "BEEPER_WEBRTC_UDP_HOST", "127.0.0.1",
                "BEEPER_RTSP_HOST", "127.0.0.1", "BEEPER_RTSP_PORT", "0", "BEEPER_RTSP_UDP_PORT", "0"));
        pb.environment().remove("BEEPER_CONFIG");
        hub = pb.start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/health"))
                .timeout(Duration.ofSeconds(20)).build();
        String[] body = new String[1];
        // emulation is slow (a minute to the page on a quiet 2-core machine, far more on a loaded one)
        await().atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .failFast("the hub under qemu stopped; its log is " + hubLog, () -> !hub.isAlive()).until(() -> {
            HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
            body[0] = r.body();
            return r.statusCode() == 200;
        });
        long tHealthy = System.nanoTime();
        // the hub's own SQLite: the library qemu mapped for it is the aarch64 build
        List<String> maps = Files.readAllLines(Path.of("/proc", Long.toString(hub.pid()), "maps"));
        String sqlite = maps.stream().filter(l -> l.contains("sqlitejdbc")).findFirst()
                .orElseThrow(() -> new AssertionError("the running hub has no sqlite-jdbc native library mapped"));
        Path sqliteFile = Path.of(sqlite.substring(sqlite.indexOf('/')).replace(" (deleted)", "").trim());
        assertThat(elfMachine(sqliteFile)).as(sqliteFile.toString()).isEqualTo(0xb7);
        assertThat(body[0]).contains("\"store\"");
        hub.destroy();
        assertThat(hub.waitFor(120, TimeUnit.SECONDS)).as("the hub stops on SIGTERM").isTrue();
        long tStopped = System.nanoTime();

        // the same jar without its aarch64 natives must fail here
        Path stripped = tmp.resolve("no-aarch64.jar");
        Files.copy(JAR, stripped);
        try (FileSystem zip = FileSystems.newFileSystem(stripped)) {
            for (String dir : List.of("/org/sqlite/native/Linux/aarch64", "/com/sun/jna/linux-aarch64")) {
                try (Stream<Path> files = Files.list(zip.getPath(dir))) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                }
            }
        }
        DebianRoots.Result missing = arm64(stripped, "version", "--natives");
        assertThat(missing.code()).as("a jar without aarch64 natives fails:\n" + missing.all()).isNotZero();
        assertThat(missing.err()).contains("native library", "aarch64");
        long tDone = System.nanoTime();

        System.out.printf("arm64 step: %.0f s in all (sysroot %s %.0f s, version --natives %.0f s,"
                        + " bme680-decode %.0f s, run to /api/health %.0f s, stop %.0f s, stripped jar fails %.0f s)%n",
                (tDone - t0) / 1e9, sysroot.getFileName(), (tRoot - t0) / 1e9, (tNatives - tRoot) / 1e9, (tDecode - tNatives) / 1e9, (tHealthy - tDecode) / 1e9,
                (tStopped - tHealthy) / 1e9, (tDone - tStopped) / 1e9);
    }

    private DebianRoots.Result arm64(Path jar, String... args) throws IOException {
        return DebianRoots.run(COMMAND, arm64Command(jar, args).toArray(String[]::new));
    }

    /** qemu-aarch64-static running Debian's arm64 java on {@code jar} with the launcher's JVM options. */
    static List<String> arm64Command(Path jar, String... args) throws IOException {
        Path sysroot = DebianRoots.extractedRoot("arm64", List.of("openjdk-17-jre-headless"));
        List<String> c = new ArrayList<>(List.of("qemu-aarch64-static", "-L", sysroot.toString(),
                sysroot.resolve("usr/lib/jvm/java-17-openjdk-arm64/bin/java").toString()));
        c.addAll(launcherJvmOptions());
        c.addAll(List.of("-jar", jar.toString()));
        c.addAll(List.of(args));
        return c;
    }

    /** The JVM options the ./beeper launcher (and /usr/bin/beeper) start the hub with. */
    static List<String> launcherJvmOptions() throws IOException {
        Matcher m = Pattern.compile("JAVA_OPTS=\"\\$\\{BEEPER_JAVA_OPTS:-([^}]*)}\"").matcher(Files.readString(Path.of("beeper")));
        assertThat(m.find()).as("./beeper's JVM defaults").isTrue();
        return List.of(m.group(1).trim().split("\\s+"));
    }

    static int elfMachine(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] h = in.readNBytes(20);
            assertThat(h).as(file + " is an ELF file").startsWith((byte) 0x7f, (byte) 'E', (byte) 'L', (byte) 'F');
            return (h[18] & 0xff) | (h[19] & 0xff) << 8;
        }
    }
}

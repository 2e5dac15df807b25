package io.beeperkeeper.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ./beeper launcher's own commands and its package step, run as a user runs them. PATH holds only
 * bash and dirname, so ffmpeg, apt-get and java are all "missing": the launcher must name the apt-get
 * line and, for the hub, carry on (here to its Java check, where it stops before building anything).
 */
class LauncherTest {
    private static final Path LAUNCHER = Path.of("beeper").toAbsolutePath();

    @TempDir
    Path bin;

    @BeforeEach
    void pathWithOnlyBashAndDirname() throws IOException {
        for (String tool : List.of("bash", "dirname")) {
            Files.createSymbolicLink(bin.resolve(tool), Path.of("/usr/bin", tool).toRealPath());
        }
    }

    private record Result(int code, String out, String err) {
    }

    private Result launch(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/bin/bash", LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(bin.toFile());
        pb.environment().put("PATH", bin.toString());
        Path out = bin.resolve("out.txt");
        Path err = bin.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("launcher finished").isTrue();
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void testHelpPrintsUsageAndExitsZero() throws Exception {
        Result r = launch("test", "--help");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Usage: beeper test").contains("mvn -B verify", "chromium", "ffmpeg");
    }

    @Test
    void packagesHelpPrintsUsageAndExitsZero() throws Exception {
        Result r = launch("packages", "--help");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Usage: beeper packages");
    }

    @Test
    void runNamesTheAptLineForFfmpegThenCarriesOn() throws Exception {
        Result r = launch("run");
        assertThat(r.err()).contains("sudo apt-get update && sudo apt-get install -y ffmpeg");
        // it went on to start the hub: the next thing it needs is Java, which this PATH lacks too
        assertThat(r.err()).contains("'java' is not installed");
        assertThat(r.err().indexOf("apt-get install -y ffmpeg")).isLessThan(r.err().indexOf("'java'"));
    }

    @Test
    void theHubWithNoCommandAlsoGetsItsPackages() throws Exception {
        assertThat(launch().err()).contains("apt-get install -y ffmpeg").contains("'java' is not installed");
        assertThat(launch("--port", "9090").err()).contains("apt-get install -y ffmpeg");
    }

    @Test
    void runHelpInstallsNothing() throws Exception {
        Result r = launch("run", "--help");
        assertThat(r.err()).doesNotContain("apt-get install -y ffmpeg").contains("'java' is not installed");
    }

    @Test
    void packagesNamesTheMissingOnesAndFails() throws Exception {
        Result r = launch("packages");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("sudo apt-get update && sudo apt-get install -y ffmpeg");
    }

    @Test
    void testStopsAtMissingPackagesWithTheAptLine() throws Exception {
        Result r = launch("test");
        assertThat(r.code()).isEqualTo(1);
        // mosquitto_sub and tesseract are in /usr/bin, off this PATH; the browser is found by its absolute path
        assertThat(r.err()).containsPattern("sudo apt-get install -y ffmpeg .*mosquitto-clients.* tesseract-ocr")
                .doesNotContain("java");
    }

    @Test
    void thePackagedCommandHasTheLaunchersJvmDefaults() throws IOException {
        java.util.regex.Pattern defaults = java.util.regex.Pattern.compile("JAVA_OPTS=\"\\$\\{BEEPER_JAVA_OPTS:-([^}]*)}\"");
        java.util.regex.Matcher launcher = defaults.matcher(Files.readString(LAUNCHER));
        java.util.regex.Matcher packaged = defaults.matcher(Files.readString(Path.of("src/deb/beeper")));
        assertThat(launcher.find()).as("./beeper sets JAVA_OPTS from BEEPER_JAVA_OPTS").isTrue();
        assertThat(packaged.find()).as("src/deb/beeper sets JAVA_OPTS from BEEPER_JAVA_OPTS").isTrue();
        assertThat(packaged.group(1)).as("the JVM defaults of /usr/bin/beeper (src/deb/beeper) and ./beeper")
                .isEqualTo(launcher.group(1));
    }
}

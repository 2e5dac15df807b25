package io.beeperkeeper.packaging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code beeper cds-archive FILE} on the built jar with real Java, as the package's installer and the
 * ./beeper launcher run it: one line naming the archive, an archive that {@code -Xshare:on} maps (the
 * JVM refuses a bad or foreign one with exit code 1), the JVM's warnings in FILE.log and no temporary
 * file left; a folder it cannot write gets one error line naming the fix.
 */
class CdsArchiveIT {
    static final Path JAR = Path.of("target/beeper-keeper.jar").toAbsolutePath();
    /** Some of the launchers' options: the archive is checked with the options it was made with. */
    static final List<String> FLAGS = List.of("-Xms16m", "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-XX:-UsePerfData");

    @TempDir
    Path tmp;

    private record Result(int code, String out) {
    }

    private Result java(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(FLAGS);
        command.addAll(args);
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as(String.join(" ", command) + " finished").isTrue();
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    @Test
    void makesAnArchiveThatMapsWithXshareOn() throws Exception {
        assertThat(JAR).as("the jar, built by mvn package").exists();
        Path archive = tmp.resolve("cache/beeper-keeper.jsa");
        long t0 = System.nanoTime();
        Result made = java(List.of("-jar", JAR.toString(), "cds-archive", archive.toString()));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(made.code()).as(made.out()).isZero();
        assertThat(made.out().strip()).as("one line for the user")
                .matches("beeper: AppCDS archive " + archive + " made \\(\\d+\\.\\d MB in \\d+\\.\\d s; log " + archive + "\\.log\\)");
        assertThat(Files.size(archive)).as("a dynamic archive of the hub's classes").isGreaterThan(10_000_000);
        try (Stream<Path> files = Files.list(archive.getParent())) {
            assertThat(files.map(f -> f.getFileName().toString())).as("no temporary archive left")
                    .containsExactlyInAnyOrder("beeper-keeper.jsa", "beeper-keeper.jsa.log");
        }
        assertThat(Files.readString(archive.resolveSibling("beeper-keeper.jsa.log")))
                .as("the training run's output is in the log").contains("cds-training", "-Xshare:on");

        Result mapped = java(List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on", "-jar", JAR.toString(), "version"));
        assertThat(mapped.code()).as("-Xshare:on maps the archive:\n" + mapped.out()).isZero();
        assertThat(mapped.out()).startsWith("Beeper Keeper ");
        System.out.printf("cds-archive: %.1f MB in %.1f s%n", Files.size(archive) / 1e6, seconds);
    }

    @Test
    void aFolderItCannotWriteIsOneLineNamingTheFix() throws Exception {
        Path notAFolder = Files.writeString(tmp.resolve("file"), "x");
        Result r = java(List.of("-jar", JAR.toString(), "cds-archive", notAFolder.resolve("beeper-keeper.jsa").toString()));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out().strip()).startsWith("beeper cds-archive: cannot write in " + notAFolder)
                .contains("give another FILE").doesNotContain("Exception\n\tat ");
    }
}

package io.beeperkeeper.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Both launchers start the hub with its AppCDS class archive only when the archive is at least as new
 * as the jar, and never with BEEPER_CDS=off; the ./beeper launcher of a checkout makes the archive in
 * the background on the hub's first run after a build, once. The launchers run as a user runs them,
 * with a java that only writes down how it was called.
 */
class LauncherCdsTest {
    private static final String CDS = "-XX:SharedArchiveFile=%s -Xlog:cds=off -Xlog:cds+dynamic=off -jar";
    private static final Instant BUILT = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path tmp;
    Path bin;
    Path calls;
    Path jar;
    Path archive;

    @BeforeEach
    void aPathWithAJavaThatWritesDownItsArguments() throws IOException {
        bin = Files.createDirectories(tmp.resolve("bin"));
        for (String tool : List.of("bash", "dirname", "find", "nice", "sleep")) {
            Files.createSymbolicLink(bin.resolve(tool), Path.of("/usr/bin", tool).toRealPath());
        }
        calls = tmp.resolve("calls.txt");
        Files.createFile(calls);
    }

    private Path fakeJava(Path where) throws IOException {
        Files.createDirectories(where.getParent());
        Files.writeString(where, "#!/bin/bash\necho \"$*\" >>'" + calls + "'\n");
        Files.setPosixFilePermissions(where, PosixFilePermissions.fromString("rwxr-xr-x"));
        return where;
    }

    /** A checkout with a built jar (and no sources, so the launcher builds nothing) and ./beeper. */
    private Path checkout() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("checkout"));
        Files.copy(Path.of("beeper"), root.resolve("beeper"));
        jar = Files.createDirectories(root.resolve("target")).resolve("beeper-keeper.jar");
        Files.writeString(jar, "jar");
        Files.setLastModifiedTime(jar, FileTime.from(BUILT));
        archive = root.resolve("target/beeper-keeper.jsa");
        fakeJava(bin.resolve("java"));
        return root.resolve("beeper");
    }

    /** /usr/bin/beeper of the package, with its jar, archive and Java folder in the test's folder. */
    private Path packagedLauncher() throws IOException {
        jar = tmp.resolve("usr/share/beeper-keeper/beeper-keeper.jar");
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "jar");
        Files.setLastModifiedTime(jar, FileTime.from(BUILT));
        archive = tmp.resolve("var/cache/beeper-keeper/beeper-keeper.jsa");
        Files.createDirectories(archive.getParent());
        fakeJava(tmp.resolve("usr/lib/jvm/java-17-openjdk-test/bin/java"));
        String script = Files.readString(Path.of("src/deb/beeper"));
        String moved = script.replace("JAR=/usr/share/beeper-keeper/beeper-keeper.jar", "JAR='" + jar + "'")
                .replace("ARCHIVE=/var/cache/beeper-keeper/beeper-keeper.jsa", "ARCHIVE='" + archive + "'")
                .replace("JVMS=/usr/lib/jvm", "JVMS='" + tmp.resolve("usr/lib/jvm") + "'");
        assertThat(script).as("src/deb/beeper names its jar, archive and Java folder once each")
                .containsOnlyOnce("/usr/share/beeper-keeper/beeper-keeper.jar").containsOnlyOnce("/var/cache/beeper-keeper/beeper-keeper.jsa")
                .containsOnlyOnce("/usr/lib/jvm");
        Path launcher = tmp.resolve("usr/bin/beeper");
        Files.createDirectories(launcher.getParent());
        Files.writeString(launcher, moved);
        return launcher;
    }

    private void archiveMade(Instant when) throws IOException {
        Files.writeString(archive, "archive");
        Files.setLastModifiedTime(archive, FileTime.from(when));
    }

    private record Result(int code, String err) {
    }

    private Result launch(String shell, Path launcher, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(shell, launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
        pb.environment().remove("BEEPER_CDS");
        pb.environment().remove("BEEPER_JAVA_OPTS");
        pb.environment().put("BEEPER_CDS_DELAY", "0");
        pb.environment().put("PATH", bin.toString());
        pb.environment().putAll(env);
        Path err = Files.createTempFile(tmp, "err", ".txt");
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile());
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("launcher finished").isTrue();
        return new Result(p.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
    }

    private List<String> javaCalls() throws IOException {
        return Files.readAllLines(calls);
    }

    @Test
    void checkoutStartsWithAnArchiveAtLeastAsNewAsTheJar() throws Exception {
        Path beeper = checkout();
        archiveMade(BUILT.plusSeconds(60));
        assertThat(launch("/bin/bash", beeper, Map.of(), "version").code()).isZero();
        assertThat(javaCalls()).singleElement().asString()
                .contains(CDS.formatted(archive) + " " + jar + " version").contains("-Xmx64m");
    }

    @Test
    void checkoutStartsWithoutAnArchiveOlderThanTheJarOrWithCdsOff() throws Exception {
        Path beeper = checkout();
        archiveMade(BUILT.minusSeconds(60));
        assertThat(launch("/bin/bash", beeper, Map.of(), "version").code()).isZero();
        archiveMade(BUILT.plusSeconds(60));
        assertThat(launch("/bin/bash", beeper, Map.of("BEEPER_CDS", "off"), "version").code()).isZero();
        assertThat(javaCalls()).hasSize(2).allSatisfy(call -> assertThat(call)
                .doesNotContain("SharedArchiveFile", "Xlog:cds").endsWith("-jar " + jar + " version"));
        assertThat(archive.resolveSibling("beeper-keeper.jsa.log")).as("only the hub's run makes an archive").doesNotExist();
    }

    @Test
    void checkoutMakesTheArchiveInTheBackgroundOnTheHubsFirstRunAfterABuild() throws Exception {
        Path beeper = checkout();
        Result first = launch("/bin/bash", beeper, Map.of(), "run", "--port", "9090");
        assertThat(first.err()).contains("beeper: making target/beeper-keeper.jsa in the background");
        await().atMost(Duration.ofSeconds(60)).until(() -> javaCalls().size() == 2);
        assertThat(javaCalls()).as("the hub, without an archive, and the archive's training in the background")
                .anySatisfy(call -> assertThat(call).endsWith("-jar " + jar + " run --port 9090").doesNotContain("SharedArchiveFile"))
                .anySatisfy(call -> assertThat(call).endsWith("-jar " + jar + " cds-archive " + archive).contains("-Xmx64m"));

        Result second = launch("/bin/bash", beeper, Map.of(), "run");
        assertThat(second.err()).as("once per build: the first attempt's log is there").doesNotContain("making target");
        assertThat(javaCalls()).hasSize(3);
        assertThat(launch("/bin/bash", beeper, Map.of("BEEPER_CDS", "off"), "run").err()).doesNotContain("making target");
    }

    @Test
    void checkoutTriesAgainOnlyAfterAnAttemptThatWasKilled() throws Exception {
        Path beeper = checkout();
        Path log = archive.resolveSibling("beeper-keeper.jsa.log");
        Files.writeString(log, "$ java -jar beeper-keeper.jar cds-training\nbeeper cds-archive: the training run failed\n");
        Files.setLastModifiedTime(log, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        assertThat(launch("/bin/bash", beeper, Map.of(), "run").err()).as("it ended: once per build").doesNotContain("making target");

        Files.writeString(log, "$ java -jar beeper-keeper.jar cds-training\n12:00:00.000 INFO  App  up\n");
        Files.setLastModifiedTime(log, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        assertThat(launch("/bin/bash", beeper, Map.of(), "run").err()).as("killed an hour ago").contains("making target");
        await().atMost(Duration.ofSeconds(60)).until(() -> javaCalls().stream().anyMatch(c -> c.contains("cds-archive")));
    }

    @Test
    void packagedCommandStartsWithAFreshArchiveOnly() throws Exception {
        Path beeper = packagedLauncher();
        assertThat(launch("/bin/sh", beeper, Map.of(), "run").code()).as("no archive").isZero();
        archiveMade(BUILT.minusSeconds(60));
        assertThat(launch("/bin/sh", beeper, Map.of(), "run").code()).as("an archive older than the jar").isZero();
        archiveMade(BUILT.plusSeconds(60));
        assertThat(launch("/bin/sh", beeper, Map.of("BEEPER_CDS", "off"), "run").code()).as("BEEPER_CDS=off").isZero();
        assertThat(launch("/bin/sh", beeper, Map.of(), "run").code()).as("a fresh archive").isZero();
        List<String> calls = javaCalls();
        assertThat(calls).hasSize(4);
        assertThat(calls.subList(0, 3)).allSatisfy(call -> assertThat(call)
                .doesNotContain("SharedArchiveFile", "Xlog:cds").endsWith("-jar " + jar + " run"));
        assertThat(calls.get(3)).contains(CDS.formatted(archive) + " " + jar + " run").contains("-Xmx64m");
    }
}

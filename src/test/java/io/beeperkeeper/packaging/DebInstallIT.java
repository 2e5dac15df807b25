package io.beeperkeeper.packaging;

import io.beeperkeeper.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The .deb as a keeper meets it: installed with apt into a fresh Debian 12 root (minbase with the
 * package's dependencies, made by mmdebstrap and cached), the hub started there the way the unit
 * starts it (its ExecStart, Environment and WorkingDirectory, as its User and SupplementaryGroups:
 * systemd is not PID 1 in a chroot), {@code /api/health} answered, then removed (the data stays)
 * and purged (it goes). The unit itself is checked by {@code systemd-analyze verify} against the
 * root it was installed into. Needs root (chroot, mounts in a private mount namespace).
 */
class DebInstallIT {
    /** What the root holds before the package: its dependencies, and systemd (the helpers postinst uses). */
    static final List<String> PACKAGES = List.of("openjdk-17-jre-headless", "ffmpeg", "fonts-dejavu-core", "systemd");
    static final String UNIT = "/lib/systemd/system/beeper-keeper.service";
    static final String ARCHIVE = "/var/cache/beeper-keeper/beeper-keeper.jsa";
    static final String WANTS = "etc/systemd/system/multi-user.target.wants/beeper-keeper.service";
    static final Duration COMMAND = Duration.ofMinutes(10);

    Path work;
    Path root;
    Process hub;

    @BeforeEach
    void needsRoot() {
        assumeTrue(DebianRoots.isRoot(), "skipped: the .deb install test needs root (chroot and mounts into a Debian 12"
                + " root); run it with sudo ./beeper test, as CI does");
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (hub != null && hub.isAlive()) {
            hub.descendants().forEach(ProcessHandle::destroyForcibly);
            hub.destroyForcibly();
        }
        if (root != null && Files.isDirectory(root)) {
            // every mount was made in the hub's or a command's own mount namespace, gone with it;
            // --one-file-system keeps rm out of anything mounted all the same
            assertThat(Files.readString(Path.of("/proc/mounts"))).as("nothing mounted inside the test root").doesNotContain(root.toString());
            DebianRoots.run(Duration.ofMinutes(5), "rm", "-rf", "--one-file-system", root.toString());
        }
    }

    @Test
    void installStartRemovePurge() throws Exception {
        long t0 = System.nanoTime();
        String arch = DebianRoots.hostArchitecture();
        Path deb = Path.of("target").toAbsolutePath().resolve(debName(arch));
        assertThat(deb).as("the package, built by mvn package").exists();
        Path rootTar = DebianRoots.installedRoot(PACKAGES);
        long tRoot = System.nanoTime();

        work = Files.createDirectories(Path.of("target", "deb-install").toAbsolutePath());
        root = work.resolve("root");
        if (Files.exists(root)) {
            DebianRoots.run(Duration.ofMinutes(5), "rm", "-rf", "--one-file-system", root.toString());
        }
        Files.createDirectories(root);
        check(DebianRoots.run(COMMAND, "tar", "-C", root.toString(), "-xf", rootTar.toString()), "unpack the cached root");
        Files.copy(deb, root.resolve("tmp/beeper-keeper.deb"));
        long tFresh = System.nanoTime();

        // install with apt, as the README says: the Depends must be met by Debian's own packages
        DebianRoots.Result install = inRoot("apt-get", "install", "-y", "--no-install-recommends", "/tmp/beeper-keeper.deb");
        check(install, "apt-get install ./beeper-keeper.deb");
        assertThat(install.out()).as("postinst names the page").containsPattern("http://\\S+:8080/");
        assertThat(inRoot("getent", "passwd", "beeper").out()).as("the beeper system user").contains("/var/lib/beeper-keeper");
        for (String group : List.of("video", "audio", "i2c", "gpio")) {
            check(inRoot("getent", "group", group), "group " + group + " exists (the unit's SupplementaryGroups)");
        }
        assertThat(inRoot("stat", "-c", "%U %a", "/var/lib/beeper-keeper").out().trim()).isEqualTo("beeper 750");
        // the class archive the hub starts with, made by the beeper user (a failure would be a warning line)
        assertThat(install.all()).as("postinst makes the class archive").doesNotContain("Warning: no class archive")
                .contains("beeper: AppCDS archive " + ARCHIVE + " made (");
        assertThat(inRoot("stat", "-c", "%U", ARCHIVE).out().trim()).as("the archive is the beeper user's").isEqualTo("beeper");
        assertThat(Files.isSymbolicLink(root.resolve(WANTS))).as("enabled at boot: " + WANTS).isTrue();
        assertThat(inRoot("dpkg-query", "-W", "-f", "${Conffiles}", "beeper-keeper").out()).contains("/etc/beeper-keeper/beeper.yaml");

        DebianRoots.Result verify = DebianRoots.run(COMMAND, "systemd-analyze", "verify", "--root=" + root, UNIT);
        assertThat(verify.code()).as("systemd-analyze verify " + UNIT + ":\n" + verify.all()).isZero();
        assertThat(verify.all()).as("systemd-analyze verify warnings").isBlank();
        long tInstalled = System.nanoTime();

        // start it as the unit does, on free ports (other hubs may run on this machine)
        Map<String, List<String>> unit = unitService(Files.readString(root.resolve(UNIT.substring(1))));
        assertThat(unit.get("Restart")).containsExactly("always");
        assertThat(unit.get("User")).containsExactly("beeper");
        assertThat(unit.get("ProtectSystem")).containsExactly("strict");
        assertThat(unit.get("ReadWritePaths")).containsExactly("/var/lib/beeper-keeper");
        int port = Ports.freePort();
        List<String> env = new ArrayList<>();
        for (String e : unit.getOrDefault("Environment", List.of())) {
            env.addAll(List.of(e.split("\\s+")));
        }
        env.addAll(List.of("BEEPER_WEB_HOST=127.0.0.1", "BEEPER_WEB_PORT=" + port,
                "BEEPER_MQTT_PORT=" + Ports.freePort(), "BEEPER_WEBRTC_UDP_PORT=0", "BEEPER_WEBRTC_UDP_HOST=127.0.0.1",
                "BEEPER_RTSP_HOST=127.0.0.1", "BEEPER_RTSP_PORT=0", "BEEPER_RTSP_UDP_PORT=0"));
        String groups = String.join(",", unit.get("SupplementaryGroups").get(0).split("\\s+"));
        List<String> start = new ArrayList<>(List.of("setpriv", "--reuid=" + unit.get("User").get(0),
                "--regid=" + unit.get("Group").get(0), "--groups=" + groups, "--inh-caps=-all",
                "env", "-i", "-C", unit.get("WorkingDirectory").get(0), "PATH=/usr/local/bin:/usr/bin:/bin"));
        start.addAll(env);
        start.addAll(List.of(unit.get("ExecStart").get(0).split("\\s+")));
        Path hubLog = work.resolve("hub.log");
        hub = new ProcessBuilder(chrooted(start)).redirectErrorStream(true).redirectOutput(hubLog.toFile()).start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/health"))
                .timeout(Duration.ofSeconds(10)).build();
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .failFast("the hub in the Debian root stopped; its log is " + hubLog, () -> !hub.isAlive()).until(() -> {
            return http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        });
        long tHealthy = System.nanoTime();
        // the page answers first; the hub says where its data is once every part has started
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                .failFast("the hub in the Debian root stopped; its log is " + hubLog, () -> !hub.isAlive())
                .until(() -> Files.readString(hubLog).contains(" up: node "));
        assertThat(javaOf(hub).info().arguments().map(List::of).orElseThrow()).as("the hub's JVM options")
                .contains("-XX:SharedArchiveFile=" + ARCHIVE);
        assertThat(Files.readString(Path.of("/proc", Long.toString(javaOf(hub).pid()), "maps")))
                .as("the hub's JVM maps the class archive (-Xshare:auto would start without one it refuses)").contains(ARCHIVE);
        String log = Files.readString(hubLog);
        assertThat(log).as("the service reads the installed settings").contains("settings from /etc/beeper-keeper/beeper.yaml");
        assertThat(log).as("and keeps its data in /var/lib/beeper-keeper").contains("data in /var/lib/beeper-keeper");
        stopHub();
        try (Stream<Path> data = Files.list(root.resolve("var/lib/beeper-keeper"))) {
            assertThat(data).as("the hub wrote its data (history, broker state) into /var/lib/beeper-keeper").isNotEmpty();
        }
        assertThat(inRoot("find", "/var/lib/beeper-keeper", "!", "-user", "beeper").out().trim())
                .as("everything in the data folder belongs to beeper").isEmpty();

        // Java changes (here: a file under /usr/lib/jvm touched, and the package's trigger activated as an
        // upgrade of Java does): the archive is made again
        long made = Files.getLastModifiedTime(root.resolve(ARCHIVE.substring(1))).toMillis();
        check(inRoot("sh", "-c", "touch /usr/lib/jvm/.beeper-test && dpkg-trigger --no-await /usr/lib/jvm"
                + " && dpkg --triggers-only --pending"), "a Java change's trigger");
        assertThat(Files.getLastModifiedTime(root.resolve(ARCHIVE.substring(1))).toMillis())
                .as("the trigger made the archive again").isGreaterThan(made);

        // remove: the program goes, settings and data stay, the class archive goes
        check(inRoot("apt-get", "remove", "-y", "beeper-keeper"), "apt-get remove beeper-keeper");
        assertThat(root.resolve("var/cache/beeper-keeper")).as("remove deletes the class archive").doesNotExist();
        assertThat(root.resolve("usr/bin/beeper")).doesNotExist();
        assertThat(root.resolve("usr/share/beeper-keeper")).doesNotExist();
        assertThat(root.resolve(UNIT.substring(1))).doesNotExist();
        assertThat(root.resolve("etc/beeper-keeper/beeper.yaml")).as("remove keeps the settings").exists();
        try (Stream<Path> data = Files.list(root.resolve("var/lib/beeper-keeper"))) {
            assertThat(data).as("remove keeps /var/lib/beeper-keeper").isNotEmpty();
        }

        // purge: settings and data go
        check(inRoot("apt-get", "purge", "-y", "beeper-keeper"), "apt-get purge beeper-keeper");
        assertThat(root.resolve("var/lib/beeper-keeper")).as("purge deletes the data").doesNotExist();
        assertThat(root.resolve("etc/beeper-keeper")).as("purge deletes the settings").doesNotExist();
        assertThat(Files.isSymbolicLink(root.resolve(WANTS))).as("purge disables it: " + WANTS).isFalse();
        assertThat(inRoot("dpkg-query", "-W", "-f", "${db:Status-Status}", "beeper-keeper").out().trim())
                .as("dpkg no longer has the package").isIn("", "not-installed");
        long tDone = System.nanoTime();

        System.out.printf("deb install test: %.0f s in all (root %s %.0f s, fresh copy %.0f s, install+verify %.0f s,"
                        + " start to /api/health %.0f s, stop+remove+purge %.0f s); %s is %d bytes%n",
                (tDone - t0) / 1e9, rootTar.getFileName(), (tRoot - t0) / 1e9, (tFresh - tRoot) / 1e9,
                (tInstalled - tFresh) / 1e9, (tHealthy - tInstalled) / 1e9, (tDone - tHealthy) / 1e9,
                deb.getFileName(), Files.size(deb));
    }

    static String debName(String arch) {
        String version = System.getProperty("beeper.version", "0.1.0");
        return "beeper-keeper_" + version + "_" + arch + ".deb";
    }

    /** The hub's JVM, started by /usr/bin/beeper inside the test's chroot and unshare. */
    private static ProcessHandle javaOf(Process hub) {
        return hub.descendants().filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst().orElseThrow(() -> new AssertionError("no java under " + hub.info().commandLine()));
    }

    private void stopHub() throws InterruptedException {
        // SIGTERM to the JVM, as systemctl stop sends it
        hub.descendants().filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .forEach(ProcessHandle::destroy);
        assertThat(hub.waitFor(60, TimeUnit.SECONDS)).as("the hub stops on SIGTERM").isTrue();
    }

    /** A command in the test root, with /proc and /dev mounted in its own mount namespace. */
    private List<String> chrooted(List<String> command) {
        List<String> c = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "--fork", "--kill-child",
                "sh", "-c", "mount -t proc proc \"$0/proc\" && mount --bind /dev \"$0/dev\" && exec chroot \"$0\" \"$@\"",
                root.toString()));
        c.addAll(command);
        return c;
    }

    private DebianRoots.Result inRoot(String... command) throws IOException {
        return DebianRoots.run(COMMAND, chrooted(List.of(command)).toArray(String[]::new));
    }

    private static void check(DebianRoots.Result r, String what) {
        assertThat(r.code()).as(what + ":\n" + r.all()).isZero();
    }

    /** The [Service] section: each key's values in order. */
    static Map<String, List<String>> unitService(String unit) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        boolean service = false;
        for (String raw : unit.split("\n")) {
            String line = raw.trim();
            if (line.startsWith("[")) {
                service = line.equals("[Service]");
            } else if (service && !line.isEmpty() && !line.startsWith("#") && line.contains("=")) {
                int eq = line.indexOf('=');
                keys.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
            }
        }
        return keys;
    }
}

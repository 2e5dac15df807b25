package io.beeperkeeper.cli;

import io.beeperkeeper.App;
import io.beeperkeeper.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code beeper bench sdcard} on whole hubs: one it starts as {@code ./beeper run} does and stops
 * again, and one already running (found by its web port, its data folder by the beeper.db it has
 * open). The figures must be the hub's {@code /proc/<pid>/io} counters scaled to a day, not a target.
 */
class SdCardBenchTest {
    private static final Pattern LINE = Pattern.compile("^(write_bytes|wchar)\\s+(\\d+) B in ([\\d.]+) s =\\s+([\\d.]+) MB/day", Pattern.MULTILINE);

    @TempDir
    Path dir;

    static String run(String... args) {
        StringWriter out = new StringWriter();
        int code = BeeperCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true)).execute(args);
        assertThat(code).as(out.toString()).isZero();
        return out.toString();
    }

    static void assertScaled(String out) {
        Matcher m = LINE.matcher(out);
        int found = 0;
        while (m.find()) {
            found++;
            long bytes = Long.parseLong(m.group(2));
            double secs = Double.parseDouble(m.group(3));
            assertThat(secs).as(out).isGreaterThan(0);
            assertThat(Double.parseDouble(m.group(4))).as(m.group(1) + " scaled to a day\n" + out)
                    .isCloseTo(bytes * 86_400 / secs / 1e6, org.assertj.core.data.Percentage.withPercentage(2)); // the window is printed to 0.1 s
        }
        assertThat(found).as("write_bytes and wchar lines\n" + out).isEqualTo(2);
        assertThat(out).containsPattern("syscw\\s+\\d+ +in [\\d.]+ s =\\s+\\d+ calls/day").contains("files that changed");
    }

    @Test
    void measuresAHubItStartsAsTheLauncherDoes() {
        String out = run("bench", "sdcard", "--seconds", "12", "--settle", "1", "--dir", dir.toString(), "--set", "timelapse.enabled=false");
        assertThat(out).contains("started a hub as ./beeper run would", "with {BEEPER_TIMELAPSE_ENABLED=false}", "cameras live: csi, usb",
                "data folder " + dir.resolve("data").toAbsolutePath());
        assertThat(out).as("no time-lapse with timelapse.enabled=false").doesNotContain("timelapse/");
        assertScaled(out);
        Matcher pid = Pattern.compile("\\(pid (\\d+),").matcher(out);
        assertThat(pid.find()).isTrue();
        assertThat(ProcessHandle.of(Long.parseLong(pid.group(1))).map(ProcessHandle::isAlive).orElse(false))
                .as("the started hub is stopped afterwards").isFalse();
    }

    @Test
    void findsARunningHubByItsPortAndItsDataFolderByItsOpenFiles() {
        Path data = dir.resolve("hub-data");
        App hub = TestHub.start(data, Map.of());
        try {
            String out = run("bench", "sdcard", "--url", "http://127.0.0.1:" + hub.webPort(), "--seconds", "3");
            assertThat(out).contains("pid " + ProcessHandle.current().pid(), "data folder " + data.toAbsolutePath());
            assertScaled(out);
        } finally {
            hub.close();
        }
    }
}

package io.beeperkeeper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Log lines carry our time of day unless standard output is the journal systemd named. */
class JournalTimestampsTest {
    @TempDir
    Path tmp;

    /** Logs one line with the hub's own logback.xml, in a JVM of its own. */
    public static final class LogOneLine {
        public static void main(String[] args) {
            LoggerFactory.getLogger("coop").info("hens fed");
        }
    }

    /** The hub's logback.xml in a child JVM whose standard output is {@code out}; JOURNAL_STREAM names it or not. */
    private String logLine(boolean journal) throws Exception {
        Path out = Files.createFile(tmp.resolve("out-" + journal));
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dlogback.configurationFile=" + Path.of("src/main/resources/logback.xml").toAbsolutePath(),
                LogOneLine.class.getName())).redirectOutput(out.toFile()).redirectErrorStream(true);
        if (journal) {
            pb.environment().put("JOURNAL_STREAM", Files.getAttribute(out, "unix:dev") + ":" + Files.getAttribute(out, "unix:ino"));
        } else {
            pb.environment().remove("JOURNAL_STREAM");
        }
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return Files.readString(out).trim();
    }

    @Test
    void theHubsLogbackConfigurationDropsTheTimeOnlyForTheJournal() throws Exception {
        assertThat(logLine(false)).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  coop +hens fed");
        assertThat(logLine(true)).matches("INFO  coop +hens fed");
    }

    @Test
    void aTerminalOrFileGetsTheTime() {
        assertThat(JournalTimestamps.prefix(null, Optional.of("64769:1234"))).isEqualTo("%d{HH:mm:ss.SSS} %-5level");
    }

    @Test
    void theJournalStampsLinesItself() {
        assertThat(JournalTimestamps.prefix("64769:1234", Optional.of("64769:1234"))).isEqualTo("%-5level");
    }

    @Test
    void anInheritedVariableForAnotherStreamKeepsTheTime() {
        assertThat(JournalTimestamps.prefix("64769:1234", Optional.of("64769:999"))).isEqualTo("%d{HH:mm:ss.SSS} %-5level");
        assertThat(JournalTimestamps.prefix("64769:1234", Optional.empty())).isEqualTo("%d{HH:mm:ss.SSS} %-5level");
    }

    @Test
    void thisProcessCanReadItsStandardOutput() {
        assertThat(JournalTimestamps.stdoutIdentity()).hasValueSatisfying(id -> assertThat(id).matches("\\d+:\\d+"));
    }
}

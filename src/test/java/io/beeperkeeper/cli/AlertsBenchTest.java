package io.beeperkeeper.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code beeper bench alerts} end to end: it starts its receivers and a whole hub, every round's
 * reading reaches the webhook and the mail server (over STARTTLS), and it prints figures that parse.
 */
class AlertsBenchTest {
    @TempDir
    Path dir;

    @Test
    void benchPrintsWebhookAndEmailLatencies() {
        StringWriter out = new StringWriter();
        int code = BeeperCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true))
                .execute("bench", "alerts", "--rounds", "3", "--dir", dir.toString());
        assertThat(code).as(out.toString()).isZero();
        Matcher m = Pattern.compile("n=(\\d+)\\): webhook median ([\\d.]+) p95 ([\\d.]+); e-mail median ([\\d.]+) p95 ([\\d.]+);"
                + " load average [\\d.]+ [\\d.]+ [\\d.]+").matcher(out.toString());
        assertThat(m.find()).as(out.toString()).isTrue();
        assertThat(Integer.parseInt(m.group(1))).isEqualTo(3);
        for (int g = 2; g <= 5; g++) {
            assertThat(Double.parseDouble(m.group(g))).as(out.toString()).isPositive().isLessThan(60_000);
        }
        assertThat(Double.parseDouble(m.group(3))).isGreaterThanOrEqualTo(Double.parseDouble(m.group(2)));
        assertThat(Double.parseDouble(m.group(5))).isGreaterThanOrEqualTo(Double.parseDouble(m.group(4)));
    }
}

package io.beeperkeeper.history;

import io.beeperkeeper.config.HistoryConfig;
import io.beeperkeeper.metric.MetricSample;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Child process of {@link HistoryCrashTest}: writes numbered samples without end and prints
 * "COMMITTED n" after each flush, until the test kills it with kill -9.
 */
public final class KillChild {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        HistoryConfig cfg = new HistoryConfig(14, 180, 0, 1, 1, 50_000, 50, 30, "UTC", HistoryConfig.Influx.defaults());
        HistoryStore store = HistoryStore.open(file, cfg, Clock.systemUTC());
        // 01:00 UTC two days ago: the samples (a few hours of them) never cross a midnight, whatever the
        // time of day the suite runs, so no derived daily rows join the raw samples.
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(2)).plus(Duration.ofHours(1));
        long n = 0;
        while (true) {
            for (int i = 0; i < 3000; i++, n++) {
                store.put(new MetricSample("coop", "temperature", n, "°C", t0.plusMillis(1000 * n), null));
            }
            // Alternate: some batches also write the rollups, so the crash hits both kinds of commit.
            if (n / 3000 % 2 == 0) {
                store.flushRollups(Duration.ofSeconds(60));
            } else {
                store.flush(Duration.ofSeconds(60));
            }
            System.out.println("COMMITTED " + n);
            System.out.flush();
        }
    }
}

package io.beeperkeeper.bench;

import io.beeperkeeper.App;
import io.beeperkeeper.config.ConfigLoader;
import io.beeperkeeper.viewers.IdentityResolvers;
import io.beeperkeeper.viewers.TestAccessTeam;
import io.beeperkeeper.web.TwoVisitors;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Benchmark: time from pressing send in one browser to the message being shown in the other
 * (Date.now() in both pages: same machine, same clock), over N messages, with the real hub (App) in
 * cloudflare-access mode and two headless Chromiums. Prints median, 90th percentile and maximum.
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp target/classes:target/test-classes:$(cat /tmp/cp.txt) io.beeperkeeper.bench.ChatLatencyBench [messages]
 * </pre>
 */
public final class ChatLatencyBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Path dir = Files.createTempDirectory("chat-bench");
        try (TestAccessTeam team = new TestAccessTeam();
             App hub = new App(new ConfigLoader().load(null, Map.of(), Map.of(
                     "web.host", "127.0.0.1", "web.port", "0", "mqtt.port", "0", "data.dir", dir.resolve("data").toString(),
                     "sensors.mode", "simulated", "viewers.identity", "cloudflare-access",
                     "viewers.cloudflare.teamDomain", TestAccessTeam.TEAM, "viewers.cloudflare.audience", TestAccessTeam.AUDIENCE,
                     "viewers.cloudflare.certsUrl", team.certsUrl(), "chat.rateLimitMessages", "1000")), Clock.systemUTC()).start();
             TwoVisitors v = new TwoVisitors(
                     Map.of(IdentityResolvers.ACCESS_HEADER, team.token("alice@example.com")),
                     Map.of(IdentityResolvers.ACCESS_HEADER, team.token("bob@example.com")))) {
            v.open("http://127.0.0.1:" + hub.webPort() + "/");
            TwoVisitors.waitForViewers(v.bob, Duration.ofSeconds(10), "alice", "bob");
            TwoVisitors.watchChat(v.bob);
            List<Long> ms = new ArrayList<>();
            for (int i = 0; i < n + 2; i++) {
                String text = "latency probe " + i;
                long t0 = TwoVisitors.sendTimed(v.alice, text);
                new WebDriverWait(v.bob.driver(), Duration.ofSeconds(5)).until(d -> TwoVisitors.shownAt(v.bob, text) > 0);
                if (i >= 2) { // the first two warm up the JIT and the connection
                    ms.add(TwoVisitors.shownAt(v.bob, text) - t0);
                }
                Thread.sleep(250);
            }
            Collections.sort(ms);
            double median = ms.size() % 2 == 1 ? ms.get(ms.size() / 2) : (ms.get(ms.size() / 2 - 1) + ms.get(ms.size() / 2)) / 2.0;
            System.out.printf("send-to-display in the other browser over %d messages: median %.1f ms, p90 %d ms, max %d ms (all: %s)%n",
                    ms.size(), median, ms.get((int) Math.ceil(ms.size() * 0.9) - 1), ms.get(ms.size() - 1), ms);
        }
        System.exit(0);
    }
}

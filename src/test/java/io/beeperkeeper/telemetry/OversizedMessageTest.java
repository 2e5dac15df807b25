package io.beeperkeeper.telemetry;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.beeperkeeper.ManualClock;
import io.beeperkeeper.Ports;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A payload over the broker's 256 KB limit costs one counted log line, not a 40-line stack trace each. The broker's
 * clock stands still, so the three tries fall in one minute however slowly a loaded machine runs them.
 */
class OversizedMessageTest {
    @Test
    void oversizedPayloadsAreOneCountedLineEach() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try (EmbeddedBroker broker = new EmbeddedBroker("127.0.0.1", Ports.freePort(), "", "", 0,
                new ManualClock(Instant.parse("2026-12-03T12:00:00Z")))) {
            broker.start();
            byte[] big = new byte[300 * 1024];
            java.util.Arrays.fill(big, (byte) 'x');
            for (int i = 0; i < 3; i++) {
                MqttClient c = new MqttClient(broker.url(), "big-sender", new MemoryPersistence());
                c.setTimeToWait(30_000);
                c.connect();
                try {
                    c.publish("beeper/sensors/bme680/all", big, 0, false);
                } catch (Exception expected) {
                    // the broker drops the connection
                }
                int n = i + 1;
                await().atMost(Duration.ofSeconds(90)).until(() -> broker.undecodable() >= n);
                c.disconnectForcibly(100, 100);
                c.close(true);
            }
            List<ILoggingEvent> moquette = logs.list.stream().filter(e -> e.getLoggerName().startsWith("io.moquette")).toList();
            assertThat(moquette).as("Moquette's own lines").noneMatch(e -> e.getThrowableProxy() != null);
            List<ILoggingEvent> ours = logs.list.stream().filter(e -> e.getFormattedMessage().contains("cannot decode")).toList();
            assertThat(ours).hasSize(1); // the same client again within a minute: counted, not logged
            assertThat(ours.get(0).getFormattedMessage()).contains("big-sender").doesNotContain("\n");
            assertThat(ours.get(0).getThrowableProxy()).isNull();
            assertThat(broker.health().detail()).contains("3 undecodable messages");
        } finally {
            root.detachAppender(logs);
        }
    }
}

package io.beeperkeeper.telemetry;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.beeperkeeper.ManualClock;
import io.beeperkeeper.feature.Json;
import io.beeperkeeper.metric.MetricSample;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whoever can publish on the broker must not be able to freeze the page, store absurd values or grow
 * the hub's series: each poisoned message is refused, counted per reason and logged at most once a
 * minute per topic.
 */
class PoisonedReadingsTest {
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    final ManualClock clock = new ManualClock(NOW);
    final List<MetricSample> stored = new CopyOnWriteArrayList<>();
    final LatestMetrics latest = new LatestMetrics("hub");
    TelemetrySubscriber subscriber;
    ListAppender<ILoggingEvent> logs;

    @BeforeEach
    void setUp() {
        subscriber = new TelemetrySubscriber(new ReadingCodec(Json.newMapper(), ReadingLimits.ofHours(72)),
                "beeper", "hub", Set.of("coop2"), clock);
        subscriber.addListener(stored::add);
        subscriber.addListener(latest);
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(TelemetrySubscriber.class)).addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        ((Logger) LoggerFactory.getLogger(TelemetrySubscriber.class)).detachAppender(logs);
    }

    void publish(String topic, String json) {
        subscriber.onMessage(topic, json.getBytes(StandardCharsets.UTF_8));
    }

    static double ts(Instant t) {
        return t.toEpochMilli() / 1000.0;
    }

    @Test
    void aReadingFromTheFutureIsRefusedAndNeverBecomesTheLatestValue() {
        publish("beeper/sensors/bme680/all", "{\"temperature\":21.0,\"timestamp\":" + ts(NOW) + "}");
        publish("beeper/sensors/bme680/all", "{\"temperature\":-99.9,\"timestamp\":" + ts(NOW.plus(Duration.ofDays(365))) + "}");
        publish("beeper/sensors/bme680/all", "{\"temperature\":-99.9,\"timestamp\":" + ts(NOW.plusSeconds(120)) + "}");
        assertThat(latest.snapshot().get("temperature").value()).isEqualTo(21.0);
        assertThat(subscriber.refusals()).containsEntry("timestamp_ahead", 2L);
        // a node whose clock is a few seconds ahead is still believed
        publish("beeper/sensors/bme680/all", "{\"temperature\":21.5,\"timestamp\":" + ts(NOW.plusSeconds(5)) + "}");
        assertThat(latest.snapshot().get("temperature").value()).isEqualTo(21.5);
    }

    @Test
    void aReadingOlderThanTheQueuesRetentionIsRefused() {
        publish("beeper/sensors/bme680/all", "{\"temperature\":20.0,\"timestamp\":" + ts(NOW.minus(Duration.ofHours(73))) + "}");
        publish("beeper/sensors/bme680/all", "{\"temperature\":20.0,\"timestamp\":" + ts(NOW.minus(Duration.ofHours(71))) + "}");
        publish("beeper/sensors/bme680/all", "{\"temperature\":20.0,\"timestamp\":\"yesterday\"}");
        assertThat(subscriber.refusals()).containsEntry("timestamp_too_old", 1L).containsEntry("bad_timestamp", 1L);
        assertThat(stored).hasSize(1);
    }

    @Test
    void implausibleValuesAreRefusedWholeAndNotStored() {
        publish("beeper/sensors/bme680/all", "{\"temperature\":20.0,\"humidity\":1e308}");
        publish("beeper/system/stats", "{\"cpu_percent\":1e300}");
        publish("beeper/sensors/bme680/all", "{\"pressure\":200}");
        publish("beeper/sensors/bme680/all", "{\"temperature\":-61}");
        publish("beeper/audio/level", "{\"level_db\":12}");
        assertThat(stored).isEmpty();
        assertThat(subscriber.refusals()).containsEntry("out_of_range", 5L);
        publish("beeper/sensors/bme680/all", "{\"temperature\":-39.5,\"humidity\":100,\"pressure\":1013.2}");
        assertThat(stored).hasSize(3);
    }

    @Test
    void unknownFieldsAreIgnoredAndCountedSoTheSeriesStayBounded() {
        publish("beeper/sensors/bme680/all", "{\"temperature\":20.0,\"humidity\":50}");
        int before = latest.snapshot().size();
        for (int i = 0; i < 1000; i++) {
            publish("beeper/sensors/bme680/all", "{\"temperature\":20.0,\"field" + i + "\":1,\"note" + i + "\":\"x\"}");
        }
        publish("beeper/system/stats", "{\"nonsense\":1}");
        assertThat(latest.snapshot()).hasSize(before);
        assertThat(stored).extracting(MetricSample::metric).containsOnly("temperature", "humidity");
        assertThat(subscriber.ignoredFields()).isEqualTo(2000);
        assertThat(subscriber.refusals()).containsEntry("no_known_field", 1L);
    }

    @Test
    void onlyThisHubsNodeAndConfiguredNodesAreAccepted() {
        for (int i = 0; i < 500; i++) {
            publish("beeper/ghost" + i + "/sensors/bme680/all", "{\"temperature\":20.0}");
        }
        publish("beeper/hub/sensors/bme680/all", "{\"temperature\":20.0}");
        publish("beeper/coop2/sensors/bme680/all", "{\"temperature\":19.0}");
        assertThat(latest.snapshot().keySet()).containsExactly("coop2/temperature", "temperature");
        assertThat(subscriber.refusals()).containsEntry("unknown_node", 500L);
    }

    @Test
    void refusalsAreCountedPerReasonInHealthAndLoggedOnceAMinutePerTopic() {
        for (int i = 0; i < 300; i++) {
            publish("beeper/sensors/bme680/all", "not json " + i);
            publish("beeper/system/stats", "{\"cpu_percent\":500}");
        }
        assertThat(subscriber.health().detail()).contains("refused 600", "not_json 300", "out_of_range 300");
        assertThat(logs.list).hasSize(2);
        clock.advance(Duration.ofSeconds(61));
        publish("beeper/sensors/bme680/all", "not json again");
        assertThat(logs.list).hasSize(3);
        assertThat(logs.list.get(2).getFormattedMessage()).contains("beeper/sensors/bme680/all", "not_json", "299 more on this topic");
    }
}

package io.beeperkeeper.history;

import io.beeperkeeper.metric.MetricSample;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LightsOnFeedTest {
    final List<MetricSample> out = new ArrayList<>();
    final LightsOnFeed feed = new LightsOnFeed(80, 20, out::add);
    final Instant t0 = Instant.parse("2026-05-01T10:00:00Z");

    void lux(String node, double value, int second) {
        feed.onSample(new MetricSample(node, "lux", value, "lx", t0.plusSeconds(second), null));
    }

    List<String> states() {
        return out.stream().map(s -> s.node() + ":" + s.text() + ":" + (int) s.value()).toList();
    }

    @Test
    void onFromTheOnLevelOffOnlyBelowTheOffLevelPerNode() {
        lux("coop", 60, 0);
        lux("coop", 90, 1);
        lux("coop", 25, 2);
        lux("coop", 19, 3);
        lux("shed", 85, 3);
        assertThat(states()).containsExactly("coop:off:0", "coop:on:1", "coop:on:1", "coop:off:0", "shed:on:1");
        assertThat(out).allSatisfy(s -> assertThat(s.metric()).isEqualTo("lights_on"));
        assertThat(out.get(1).time()).isEqualTo(t0.plusSeconds(1));
    }

    @Test
    void otherMetricsAndOlderLuxReadingsChangeNothing() {
        feed.onSample(new MetricSample("coop", "temperature", 21, "°C", t0, null));
        lux("coop", 90, 10);
        lux("coop", 5, 5); // replayed from a queue after an outage
        assertThat(states()).containsExactly("coop:on:1");
    }
}

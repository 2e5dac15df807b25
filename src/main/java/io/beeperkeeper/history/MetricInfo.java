package io.beeperkeeper.history;

import java.time.Instant;

/** One stored series: a metric of one node, its unit and the span of time the store holds for it. */
public record MetricInfo(String metric, String node, String unit, Instant first, Instant last, boolean derived) {
}

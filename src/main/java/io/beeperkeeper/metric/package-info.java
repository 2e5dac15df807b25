/**
 * The hub's unit of measurement: one {@link io.beeperkeeper.metric.MetricSample} as the hub received
 * it, and {@link io.beeperkeeper.metric.MetricListener}, what every consumer of readings implements
 * (history, alerts, the live page). Depends on nothing else in the hub.
 */
package io.beeperkeeper.metric;

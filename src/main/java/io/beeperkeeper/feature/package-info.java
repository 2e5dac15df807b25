/**
 * What every feature of the hub shares: the {@link io.beeperkeeper.feature.Feature} lifecycle contract,
 * the {@link io.beeperkeeper.feature.PageEvents} push to open pages, the one thread factory and the JSON
 * mapper's configuration. See docs/architecture.md.
 */
package io.beeperkeeper.feature;

package io.beeperkeeper.check;

import io.beeperkeeper.config.BeeperConfig;

/** One part of {@code beeper check}: looks at the machine for the parts the settings need and says what it found. */
interface Probe {
    void probe(BeeperConfig config, Findings out);
}

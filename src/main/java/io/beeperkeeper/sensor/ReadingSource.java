package io.beeperkeeper.sensor;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * A sensor polled by the sampler every interval: a hardware driver or its simulated twin, behind the
 * same interface. Streaming sources (camera metadata, audio level) push through a
 * {@link ReadingSink} instead.
 */
public interface ReadingSource {
    /** Short name for logs and /api/health, e.g. "bme680 (simulated)". */
    String name();

    /** Takes one measurement; an IOException marks the source degraded until it reads again. */
    List<Reading> poll(Instant now) throws IOException;
}

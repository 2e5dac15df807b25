package io.beeperkeeper.sensor;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A simulated twin's readings, each marked {@code "simulated": true} in its payload, so no simulated
 * value can pass as real: the page shows a badge, Home Assistant an attribute, and alerts can ignore it.
 */
final class SimulatedMark implements ReadingSource {
    static final String FIELD = "simulated";

    private final ReadingSource twin;

    SimulatedMark(ReadingSource twin) {
        this.twin = twin;
    }

    @Override
    public String name() {
        return twin.name();
    }

    @Override
    public List<Reading> poll(Instant now) throws IOException {
        return twin.poll(now).stream().map(r -> {
            Map<String, Object> f = new LinkedHashMap<>(r.fields());
            f.put(FIELD, true);
            return new Reading(r.kind(), r.time(), f);
        }).toList();
    }
}

package io.beeperkeeper.sensor.iaq;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;

/**
 * Keeps the IAQ clean-air baseline in a small JSON file in the data folder, so a restart of the hub
 * does not throw away a day of learning. Written atomically (temp file + rename); a damaged or
 * missing file only means a new burn-in.
 */
public final class IaqBaselineFile {
    private static final Logger log = LoggerFactory.getLogger(IaqBaselineFile.class);
    private final Path file;
    private final ObjectMapper json = io.beeperkeeper.feature.Json.newMapper();

    public IaqBaselineFile(Path file) {
        this.file = file;
    }

    public IaqEstimator.Saved load() {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            Map<?, ?> m = json.readValue(file.toFile(), Map.class);
            return new IaqEstimator.Saved(((Number) m.get("baseline_ohm")).doubleValue(),
                    Instant.ofEpochMilli(((Number) m.get("start_ms")).longValue()),
                    Instant.ofEpochMilli(((Number) m.get("last_ms")).longValue()));
        } catch (IOException | RuntimeException e) {
            log.warn("IAQ baseline in {} unreadable ({}); the estimate burns in again", file, e.getMessage());
            return null;
        }
    }

    public void save(IaqEstimator.Saved s) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            json.writeValue(tmp.toFile(), Map.of("baseline_ohm", s.baselineOhm(),
                    "start_ms", s.start().toEpochMilli(), "last_ms", s.last().toEpochMilli()));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn("cannot save the IAQ baseline to {}: {}", file, e.getMessage());
        }
    }
}

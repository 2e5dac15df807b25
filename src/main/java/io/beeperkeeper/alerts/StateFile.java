package io.beeperkeeper.alerts;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rules' states in the data folder ({@code alerts-state.json}), so a restart neither forgets an
 * alert nor sends it again. Written whole to a temporary file, flushed and moved over the old one, so
 * a power cut leaves the old or the new file, never half of one. An unreadable file is set aside as
 * {@code .bad} and the rules start from OK (logged).
 */
final class StateFile implements AlertStates {
    private static final Logger log = LoggerFactory.getLogger(StateFile.class);
    public static final String NAME = "alerts-state.json";

    /** What is kept of one rule. Times in epoch milliseconds. */
    public record Saved(String state, Long pendingSince, Long firingSince, Long notifiedAt, String notifiedSeverity,
                        boolean owed, Long acknowledgedAt, String acknowledgedBy, Double value, String severity,
                        String detail, boolean simulated) {
    }

    private final Path file;
    private final ObjectMapper json;

    public StateFile(Path file, ObjectMapper json) {
        this.file = file;
        this.json = json;
    }

    @Override
    public Map<String, Saved> load() {
        try {
            byte[] bytes = Files.readAllBytes(file);
            Map<String, Saved> m = json.readValue(bytes, new TypeReference<LinkedHashMap<String, Saved>>() {
            });
            return m == null ? new LinkedHashMap<>() : m;
        } catch (NoSuchFileException e) {
            return new LinkedHashMap<>();
        } catch (IOException | RuntimeException e) {
            log.warn("alert states in {} are unreadable ({}); set aside as .bad, every rule starts from OK", file, e.toString());
            try {
                Files.move(file, file.resolveSibling(file.getFileName() + ".bad"), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException ignored) {
                // the next save overwrites it anyway
            }
            return new LinkedHashMap<>();
        }
    }

    @Override
    public void save(Map<String, Saved> states) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(states);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public Path file() {
        return file;
    }
}

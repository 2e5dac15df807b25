package io.beeperkeeper.sensor.camera;

import io.beeperkeeper.sensor.Reading;
import io.beeperkeeper.sensor.ReadingKind;
import io.beeperkeeper.sensor.ReadingSink;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the camera's per-frame records (15-30 a second) into at most one {@code camera/csi/metadata}
 * reading per interval (1 s by default): the first record after the interval has passed is published,
 * the others are dropped. Only ExposureTime, AnalogueGain, Lux and ColourTemperature travel; a record
 * without any of them publishes nothing.
 */
public final class CameraMetadataPublisher implements MetadataParser.Listener {
    static final List<String> FIELDS = List.of("ExposureTime", "AnalogueGain", "Lux", "ColourTemperature");

    private final ReadingSink sink;
    private final Clock clock;
    private final Duration interval;
    private Instant lastPublished;
    private long published;

    public CameraMetadataPublisher(ReadingSink sink, Clock clock, Duration interval) {
        this.sink = sink;
        this.clock = clock;
        this.interval = interval;
    }

    @Override
    public void onRecord(Map<String, Object> record) {
        Instant now = clock.instant();
        if (lastPublished != null && Duration.between(lastPublished, now).compareTo(interval) < 0) {
            return;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String f : FIELDS) {
            if (record.get(f) instanceof Double d && Double.isFinite(d)) {
                fields.put(f, d);
            }
        }
        if (fields.isEmpty()) {
            return;
        }
        lastPublished = now;
        published++;
        sink.accept(new Reading(ReadingKind.CAMERA_METADATA, now, fields));
    }

    public long published() {
        return published;
    }
}

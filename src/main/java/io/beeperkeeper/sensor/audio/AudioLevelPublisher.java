package io.beeperkeeper.sensor.audio;

import io.beeperkeeper.sensor.Reading;
import io.beeperkeeper.sensor.ReadingKind;
import io.beeperkeeper.sensor.ReadingSink;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Publishes each window of an {@link AudioLevelMeter} as an {@code audio/level} reading: {@code level_db}
 * (RMS, dBFS) and {@code peak_db} (dBFS). The camera's audio pipeline feeds the meter from the same
 * capture that goes to the stream, so the microphone is opened once (no dsnoop needed).
 */
public final class AudioLevelPublisher implements AudioLevelMeter.Listener {
    private final ReadingSink sink;
    private final Clock clock;

    public AudioLevelPublisher(ReadingSink sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
    }

    @Override
    public void onLevel(AudioLevelMeter.Level level) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("level_db", Math.round(level.rmsDbfs() * 10) / 10.0);
        fields.put("peak_db", Math.round(level.peakDbfs() * 10) / 10.0);
        sink.accept(new Reading(ReadingKind.AUDIO_LEVEL, clock.instant(), fields));
    }
}

package io.beeperkeeper.sensor.sim;

import io.beeperkeeper.sensor.Reading;
import io.beeperkeeper.sensor.ReadingKind;
import io.beeperkeeper.sensor.ReadingSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The microphone level when there is no microphone: a quiet night, clucking by day. */
public final class SimulatedAudioLevel implements ReadingSource {
    private final CoopDay day;

    public SimulatedAudioLevel(CoopDay day) {
        this.day = day;
    }

    @Override
    public String name() {
        return "audio level (simulated)";
    }

    @Override
    public List<Reading> poll(Instant now) {
        double level = day.audioLevelDb(now);
        return List.of(new Reading(ReadingKind.AUDIO_LEVEL, now, Map.of(
                "level_db", SimulatedBme680.round(level, 1),
                "peak_db", SimulatedBme680.round(Math.min(0, level + 9 + Math.abs(day.noise(2))), 1))));
    }
}

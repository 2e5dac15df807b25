package io.beeperkeeper.sensor.sim;

import io.beeperkeeper.sensor.Reading;
import io.beeperkeeper.sensor.ReadingKind;
import io.beeperkeeper.sensor.ReadingSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A Pi's SoC temperature where the machine has no thermal zone: the coop's air plus a working chip. */
public final class SimulatedCpuTemperature implements ReadingSource {
    private final CoopDay day;

    public SimulatedCpuTemperature(CoopDay day) {
        this.day = day;
    }

    @Override
    public String name() {
        return "cpu temperature (simulated)";
    }

    @Override
    public List<Reading> poll(Instant now) {
        return List.of(new Reading(ReadingKind.CPU_TEMPERATURE, now,
                Map.of("temperature", SimulatedBme680.round(day.temperatureC(now) + 28 + day.noise(0.4), 1))));
    }
}

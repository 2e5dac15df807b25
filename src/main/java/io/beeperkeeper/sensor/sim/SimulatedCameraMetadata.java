package io.beeperkeeper.sensor.sim;

import io.beeperkeeper.sensor.Reading;
import io.beeperkeeper.sensor.ReadingKind;
import io.beeperkeeper.sensor.ReadingSource;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What rpicam-vid's per-frame metadata would say about the coop's light: long exposure and high gain
 * in the dark, short and low under the lamps.
 */
public final class SimulatedCameraMetadata implements ReadingSource {
    private final CoopDay day;

    public SimulatedCameraMetadata(CoopDay day) {
        this.day = day;
    }

    @Override
    public String name() {
        return "camera metadata (simulated)";
    }

    @Override
    public List<Reading> poll(Instant now) {
        double lux = day.lux(now);
        boolean bright = lux >= 50;
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("ExposureTime", bright ? 10_000 + Math.round(day.noise(300)) : 66_000);
        f.put("AnalogueGain", SimulatedBme680.round(bright ? 1.5 + Math.abs(day.noise(0.05)) : 8.0, 2));
        f.put("Lux", SimulatedBme680.round(lux, 1));
        f.put("ColourTemperature", bright ? 4100 + Math.round(day.noise(40)) : 2900);
        return List.of(new Reading(ReadingKind.CAMERA_METADATA, now, f));
    }
}

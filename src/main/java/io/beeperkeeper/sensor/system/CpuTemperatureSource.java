package io.beeperkeeper.sensor.system;

import io.beeperkeeper.sensor.Reading;
import io.beeperkeeper.sensor.ReadingKind;
import io.beeperkeeper.sensor.ReadingSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CPU temperature from {@code <sysRoot>/class/thermal/thermal_zone0/temp} (milli-degC), with the
 * firmware's throttle flags when they can be read: fields {@code temperature} (degC), {@code throttled}
 * (the raw word) and {@code throttled_flags} (their names).
 */
public final class CpuTemperatureSource implements ReadingSource {
    static final String THERMAL_ZONE = "class/thermal/thermal_zone0/temp";
    private final Path zone;
    private final ThrottleReader throttle;

    /** @param sysRoot "/sys" in production, a temporary tree in tests */
    public CpuTemperatureSource(Path sysRoot, ThrottleReader throttle) {
        this.zone = sysRoot.resolve(THERMAL_ZONE);
        this.throttle = throttle;
    }

    /** Whether this machine has the thermal zone (else the simulated twin stands in). */
    public static boolean available(Path sysRoot) {
        return Files.isReadable(sysRoot.resolve(THERMAL_ZONE));
    }

    /** The temperature a thermal zone file ({@code .../thermal_zone0/temp}, milli-degC) holds, in degC. */
    public static double celsius(Path zoneFile) throws IOException {
        String text = Files.readString(zoneFile).trim();
        try {
            return Long.parseLong(text) / 1000.0;
        } catch (NumberFormatException e) {
            throw new IOException(zoneFile + " holds '" + text + "', not milli-degrees");
        }
    }

    @Override
    public String name() {
        return "cpu temperature (" + zone + ")";
    }

    @Override
    public List<Reading> poll(Instant now) throws IOException {
        double celsius = celsius(zone);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("temperature", celsius);
        Optional<ThrottleFlags> flags = throttle.read();
        flags.ifPresent(f -> {
            fields.put("throttled", f.value());
            fields.put("throttled_flags", f.describe());
        });
        return List.of(new Reading(ReadingKind.CPU_TEMPERATURE, now, fields));
    }
}

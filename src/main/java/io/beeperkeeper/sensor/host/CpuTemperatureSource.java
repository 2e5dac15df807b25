package io.beeperkeeper.sensor.host;

import io.beeperkeeper.sensor.Reading;
import io.beeperkeeper.sensor.ReadingKind;
import io.beeperkeeper.sensor.ReadingSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The SoC temperature from the kernel's thermal zone (millidegrees Celsius in a sysfs file). */
public final class CpuTemperatureSource implements ReadingSource {
    private final Path zoneFile;

    /** @param sysRoot "/sys" in production, a temporary tree in tests */
    public CpuTemperatureSource(Path sysRoot) {
        this.zoneFile = sysRoot.resolve("class/thermal/thermal_zone0/temp");
    }

    public boolean available() {
        return Files.isReadable(zoneFile);
    }

    @Override
    public String name() {
        return "cpu temperature (" + zoneFile + ")";
    }

    @Override
    public List<Reading> poll(Instant now) throws IOException {
        String text = Files.readString(zoneFile).trim();
        double celsius;
        try {
            celsius = Long.parseLong(text) / 1000.0;
        } catch (NumberFormatException e) {
            throw new IOException(zoneFile + " does not hold millidegrees: '" + text + "'");
        }
        return List.of(new Reading(ReadingKind.CPU_TEMPERATURE, now, Map.of("temperature", celsius)));
    }
}

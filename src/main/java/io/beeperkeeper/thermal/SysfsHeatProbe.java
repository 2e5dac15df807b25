package io.beeperkeeper.thermal;

import io.beeperkeeper.sensor.system.CpuTemperatureSource;
import io.beeperkeeper.sensor.system.ThrottleReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU's heat as the CPU temperature sensor reads it ({@code sensor/system}): the thermal zone file
 * in milli-degC and the throttle word from {@link ThrottleReader} (the firmware's sysfs node, else
 * vcgencmd, or one given file).
 */
public final class SysfsHeatProbe implements HeatProbe {
    private final Path zone;
    private final ThrottleReader throttle;

    public SysfsHeatProbe(Path zone, ThrottleReader throttle) {
        this.zone = zone;
        this.throttle = throttle;
    }

    @Override
    public Heat read() throws IOException {
        return new Heat(CpuTemperatureSource.celsius(zone), throttle.read());
    }

    @Override
    public boolean available() {
        return Files.isReadable(zone);
    }

    @Override
    public String describe() {
        return zone.toString();
    }
}

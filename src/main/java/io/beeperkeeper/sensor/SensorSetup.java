package io.beeperkeeper.sensor;

import io.beeperkeeper.StartupException;
import io.beeperkeeper.config.SensorsConfig;
import io.beeperkeeper.sensor.host.CpuTemperatureSource;
import io.beeperkeeper.sensor.host.SystemStatsSource;
import io.beeperkeeper.sensor.sim.CoopDay;
import io.beeperkeeper.sensor.sim.SimulatedAudioLevel;
import io.beeperkeeper.sensor.sim.SimulatedBme680;
import io.beeperkeeper.sensor.sim.SimulatedCameraMetadata;
import io.beeperkeeper.sensor.sim.SimulatedCpuTemperature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Chooses, for each sensor, the hardware reader when its hardware is found and the simulated twin
 * otherwise ({@code sensors.mode: auto}), or forces one side. Each choice is logged once.
 */
public final class SensorSetup {
    private static final Logger log = LoggerFactory.getLogger(SensorSetup.class);

    private final SensorsConfig config;
    private final Path sysRoot;
    private final Path procRoot;
    private final Path dataDir;

    public SensorSetup(SensorsConfig config, Path sysRoot, Path procRoot, Path dataDir) {
        this.config = config;
        this.sysRoot = sysRoot;
        this.procRoot = procRoot;
        this.dataDir = dataDir;
    }

    public List<ReadingSource> sources() {
        CoopDay day = new CoopDay(ZoneId.systemDefault(), new Random());
        boolean simulateAll = config.mode().equals("simulated");
        boolean hardwareOnly = config.mode().equals("hardware");
        List<ReadingSource> out = new ArrayList<>();

        if (hardwareOnly) {
            throw new StartupException("sensors.mode is 'hardware', but this build has no BME680 driver yet; "
                    + "use sensors.mode: auto (hardware where found, simulation elsewhere) or simulated");
        }
        out.add(simulated(new SimulatedBme680(day), "no BME680 driver in this build"));

        CpuTemperatureSource cpu = new CpuTemperatureSource(sysRoot);
        if (!simulateAll && cpu.available()) {
            out.add(cpu);
            log.info("sensor: {}", cpu.name());
        } else {
            out.add(simulated(new SimulatedCpuTemperature(day), simulateAll ? "sensors.mode is simulated" : "no thermal zone under " + sysRoot));
        }

        SystemStatsSource stats = new SystemStatsSource(procRoot, dataDir);
        if (stats.available()) {
            out.add(stats);
        } else {
            log.warn("system stats unavailable: no {}/stat or {}/meminfo", procRoot, procRoot);
        }

        out.add(simulated(new SimulatedCameraMetadata(day), "no rpicam-vid metadata reader in this build"));
        out.add(simulated(new SimulatedAudioLevel(day), "no microphone meter in this build"));
        return out;
    }

    private static ReadingSource simulated(ReadingSource source, String why) {
        log.info("sensor: {} ({})", source.name(), why);
        return source;
    }
}

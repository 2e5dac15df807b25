package io.beeperkeeper.sensor;

import io.beeperkeeper.config.ConfigException;
import io.beeperkeeper.config.SensorsConfig;
import io.beeperkeeper.sensor.bme680.Bme680Reader;
import io.beeperkeeper.sensor.bme680.Bme680Source;
import io.beeperkeeper.sensor.bme680.Bme68xSettings;
import io.beeperkeeper.sensor.bme680.I2cBme680Reader;
import io.beeperkeeper.sensor.bme680.IioBme680Reader;
import io.beeperkeeper.sensor.iaq.IaqBaselineFile;
import io.beeperkeeper.sensor.iaq.IaqEstimator;
import io.beeperkeeper.sensor.system.CpuTemperatureSource;
import io.beeperkeeper.sensor.system.SystemStatsSource;
import io.beeperkeeper.sensor.system.ThrottleReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Chooses, once at start, between each polled sensor's driver and its simulated twin: in {@code auto}
 * mode the driver when its hardware answers, else nothing (the sensor is "not connected", with the
 * reason and the fix); {@code demo} simulates only when there is no sensor hardware at all;
 * {@code simulated} takes every twin;
 * {@code hardware} takes every driver and refuses to start when one is missing, naming the fix. Each
 * choice is logged once, with the reason.
 */
final class HardwareSensors {
    private static final Logger log = LoggerFactory.getLogger(HardwareSensors.class);

    /** One choice: the source to poll and why it was chosen (for the log and /api/health). */
    public record Choice(ReadingKind kind, ReadingSource source, boolean simulated, String reason) {
    }

    private final SensorsConfig config;
    private final Path sysRoot;
    private final Path procRoot;
    private final Path devDir;
    private final Path dataDir;

    /**
     * @param sysRoot  "/sys" in production, a temporary tree in tests
     * @param procRoot "/proc" in production
     * @param devDir   "/dev" in production (where i2c-N lives)
     * @param dataDir  the data folder, whose disk usage system stats report
     */
    public HardwareSensors(SensorsConfig config, Path sysRoot, Path procRoot, Path devDir, Path dataDir) {
        this.config = config;
        this.sysRoot = sysRoot;
        this.procRoot = procRoot;
        this.devDir = devDir;
        this.dataDir = dataDir;
    }

    /**
     * @param twins the simulated twin of each polled kind (BME680, CPU_TEMPERATURE, SYSTEM_STATS); a kind
     *              without one uses its driver even in simulated mode (system stats are real anywhere), or
     *              is left out when there is no hardware either
     */
    public List<Choice> choose(Map<ReadingKind, Supplier<ReadingSource>> twins) {
        List<Choice> all = chooseAll(twins);
        all.removeIf(c -> c.source() == null);
        return all;
    }

    /**
     * Every polled kind, a not-connected one too (its source null, its reason naming the fix), so
     * health can say which sensors are missing.
     */
    public List<Choice> chooseAll(Map<ReadingKind, Supplier<ReadingSource>> twins) {
        boolean simulate = config.simulated();
        Found bme = simulate ? null : bme680();
        Found cpu = simulate ? null : cpuTemperature();
        if (!simulate && config.simulates(bme.source() != null || cpu.source() != null)) {
            simulate = true; // the zero-config demo on a machine without sensor hardware
            log.info("sensors: no settings file and no sensor hardware: simulating (each value marked simulated)");
        }
        List<Choice> out = new ArrayList<>();
        out.add(pick(ReadingKind.BME680, twins, bme, simulate));
        out.add(pick(ReadingKind.CPU_TEMPERATURE, twins, cpu, simulate));
        out.add(pick(ReadingKind.SYSTEM_STATS, twins, systemStats(), simulate));
        for (Choice c : out) {
            if (c.source() == null) {
                log.warn("sensor {}: not connected ({})", c.kind().topicSuffix(), c.reason());
            } else {
                log.info("sensor {}: {} ({})", c.kind().topicSuffix(), c.source().name(), c.reason());
            }
        }
        return out;
    }

    /** A driver attempt: the source, or why there is none. */
    private record Found(ReadingSource source, String why) {
    }

    private Choice pick(ReadingKind kind, Map<ReadingKind, Supplier<ReadingSource>> twins, Found found, boolean simulate) {
        if (simulate && twins.containsKey(kind)) {
            return new Choice(kind, new SimulatedMark(twins.get(kind).get()), true,
                    config.simulated() ? "sensors.mode is simulated" : "demo without sensor hardware");
        }
        if (found == null) {
            found = kind == ReadingKind.SYSTEM_STATS ? systemStats() : new Found(null, "no hardware checked");
        }
        if (found.source() != null) {
            return new Choice(kind, found.source(), false, found.why());
        }
        if (config.mode() == SensorsConfig.Mode.HARDWARE) {
            throw new ConfigException("sensors.mode is hardware but " + kind.topicSuffix() + " has no hardware: " + found.why()
                    + "; fix the hardware or set sensors.mode to auto");
        }
        // a missing sensor publishes nothing: an invented value next to real ones would pass as real
        return new Choice(kind, null, false, found.why());
    }

    private Found bme680() {
        var b = config.bme680();
        Bme68xSettings settings = Bme68xSettings.defaults().withHeater(b.heaterTempC(), b.heaterDurationMs())
                .withIntegerPath(b.integerCompensation());
        IaqBaselineFile baselineFile = new IaqBaselineFile(dataDir.resolve("iaq-baseline.json"));
        IaqEstimator iaq = new IaqEstimator(Duration.ofSeconds(b.iaqBurnInSeconds()), baselineFile.load(), baselineFile::save);
        List<String> why = new ArrayList<>();
        if (!b.access().equals("i2c")) {
            Optional<IioBme680Reader> iio = IioBme680Reader.find(sysRoot);
            if (iio.isPresent()) {
                return found(iio.get(), iaq, "kernel IIO driver found");
            }
            why.add("no IIO device named bme680 under " + sysRoot.resolve("bus/iio/devices"));
        }
        if (!b.access().equals("iio")) {
            Path dev = devDir.resolve("i2c-" + b.bus());
            if (!Files.exists(dev)) {
                why.add(dev + " absent (enable I2C: raspi-config nonint do_i2c 0)");
            } else {
                try {
                    return found(I2cBme680Reader.open(dev, b.address(), settings), iaq, "chip answered on " + dev);
                } catch (IOException e) {
                    why.add(e.getMessage());
                }
            }
        }
        return new Found(null, String.join("; ", why));
    }

    private static Found found(Bme680Reader reader, IaqEstimator iaq, String why) {
        return new Found(new Bme680Source(reader, iaq), why);
    }

    private Found cpuTemperature() {
        if (!CpuTemperatureSource.available(sysRoot)) {
            return new Found(null, "no " + sysRoot.resolve("class/thermal/thermal_zone0/temp"));
        }
        List<String> cmd = config.throttleCommand().isBlank() ? List.of() : Arrays.asList(config.throttleCommand().trim().split("\\s+"));
        return new Found(new CpuTemperatureSource(sysRoot, new ThrottleReader(sysRoot, cmd)), "thermal zone 0 found");
    }

    private Found systemStats() {
        if (!SystemStatsSource.available(procRoot)) {
            return new Found(null, "no " + procRoot.resolve("stat"));
        }
        return new Found(new SystemStatsSource(procRoot, dataDir), "procfs found");
    }

    /** Convenience for tests and callers without twins for some kinds. */
    public static Map<ReadingKind, Supplier<ReadingSource>> twins() {
        return new EnumMap<>(ReadingKind.class);
    }
}

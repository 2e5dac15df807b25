package io.beeperkeeper.check;

import io.beeperkeeper.config.BeeperConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The sensor probe on fake /dev, /sys trees, a fake I2C chip and a fake vcgencmd. */
class SensorProbeTest {
    @TempDir
    Path dir;
    FakeMachine m;

    @BeforeEach
    void machine() {
        m = new FakeMachine(dir);
    }

    /** A bus where a BME680 (chip id 0x61) sits at the given addresses, and nothing answers elsewhere. */
    private static ChipReader chipsAt(Map<String, Integer> ids) {
        return (device, address) -> {
            Integer id = ids.get(device.getFileName() + String.format("@%02x", address));
            if (id == null) {
                throw new IOException(device + String.format(" 0x%02x: read at register 0xd0 failed (errno 121)", address));
            }
            return id;
        };
    }

    private Report probe(BeeperConfig config, ChipReader chips) {
        return FakeMachine.run(new SensorProbe(m.host(), chips), config);
    }

    @Test
    void withoutI2cTheFixIsRaspiConfig() {
        Report r = probe(m.config("sensors:\n  mode: auto\n"), chipsAt(Map.of()));
        assertThat(r.in(Area.I2C)).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(Status.MISSING);
            assertThat(f.fix().kind()).isEqualTo(Fix.Kind.RUN);
            assertThat(f.fix().lines()).containsExactly("sudo raspi-config nonint do_i2c 0");
        });
        assertThat(r.in(Area.BME680)).singleElement().satisfies(f -> assertThat(f.status()).isEqualTo(Status.MISSING));
        assertThat(r.runWillUse()).anySatisfy(u -> assertThat(u).startsWith("sensors: system stats (no BME680"));
    }

    @Test
    void aBme680AtTheConfiguredAddressIsWhatRunReads() {
        m.file("/dev/i2c-1", "");
        Report r = probe(m.config("sensors:\n  mode: auto\n"), chipsAt(Map.of("i2c-1@77", 0x61)));
        assertThat(r.in(Area.BME680)).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(Status.OK);
            assertThat(f.name()).isEqualTo("/dev/i2c-1 0x77");
        });
        assertThat(r.runWillUse()).anySatisfy(u -> assertThat(u).startsWith("sensors: BME680 over i2c-dev, /dev/i2c-1 at 0x77"));
    }

    @Test
    void aBme680AtTheOtherAddressGetsTheLinesToPaste() {
        m.file("/dev/i2c-1", "");
        Report r = probe(m.config("sensors:\n  mode: auto\n"), chipsAt(Map.of("i2c-1@76", 0x61, "i2c-1@77", 0x58)));
        Finding miss = r.in(Area.BME680).stream().filter(f -> f.status() == Status.MISSING).findFirst().orElseThrow();
        assertThat(miss.detail()).contains("one answers on /dev/i2c-1 at 0x76");
        assertThat(miss.fix().lines()).containsExactly("sensors:", "  bme680:", "    bus: 1", "    address: 0x76");
        assertThat(m.config(String.join("\n", miss.fix().lines()) + "\n").sensors().bme680().address()).isEqualTo(0x76);
    }

    @Test
    void theKernelIioDriverIsPreferredAsRunPrefersIt() {
        m.file("/dev/i2c-1", "").file("/sys/bus/iio/devices/iio:device0/name", "bme680\n");
        Report r = probe(m.config("sensors:\n  mode: auto\n"), chipsAt(Map.of()));
        assertThat(r.in(Area.IIO)).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(Status.OK);
            assertThat(f.detail()).contains("iio:device0");
        });
        assertThat(r.runWillUse()).anySatisfy(u -> assertThat(u).startsWith("sensors: BME680 through the kernel IIO driver"));
    }

    @Test
    void accessIioWithoutTheDriverGetsTheOverlayLine() {
        m.file("/dev/i2c-1", "");
        Report r = probe(m.config("sensors:\n  mode: auto\n  bme680:\n    access: iio\n    address: 0x76\n"), chipsAt(Map.of("i2c-1@76", 0x61)));
        assertThat(r.in(Area.IIO)).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(Status.MISSING);
            assertThat(f.fix().where()).startsWith("/boot/firmware/config.txt");
            assertThat(f.fix().lines()).containsExactly("dtoverlay=i2c-sensor,bme680,addr=0x76");
        });
    }

    @Test
    void hardwareModeWithoutTheSensorIsABlocker() {
        Report r = probe(m.config("sensors:\n  mode: hardware\n"), chipsAt(Map.of()));
        assertThat(r.blockers()).isEqualTo(2);
        assertThat(r.findings()).filteredOn(f -> f.status() == Status.BLOCKER)
                .allSatisfy(f -> assertThat(f.fix().lines()).containsExactly("sensors:", "  mode: auto"));
    }

    @Test
    void demoWithoutHardwareSimulatesAndWithTheThermalZoneDoesNot() {
        BeeperConfig demo = m.config("sensors:\n  mode: demo\n");
        assertThat(probe(demo, chipsAt(Map.of())).runWillUse()).anySatisfy(u -> assertThat(u).startsWith("sensors: simulated twins"));
        m.file("/sys/class/thermal/thermal_zone0/temp", "48312\n");
        Report r = probe(demo, chipsAt(Map.of()));
        assertThat(r.in(Area.CPU)).singleElement().satisfies(f -> assertThat(f.status()).isEqualTo(Status.OK));
        assertThat(r.runWillUse()).anySatisfy(u -> assertThat(u).startsWith("sensors: CPU temperature"));
    }

    @Test
    void vcgencmdOnThePathIsAskedForTheThrottleFlags() {
        m.file("/sys/class/thermal/thermal_zone0/temp", "48312\n");
        m.printing("vcgencmd", "throttled=0x50005", 0);
        Report r = probe(m.config("sensors:\n  mode: auto\n"), chipsAt(Map.of()));
        assertThat(r.in(Area.VCGENCMD)).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(Status.OK);
            assertThat(f.detail()).contains("0x50005");
        });
        assertThat(r.runWillUse()).anySatisfy(u -> assertThat(u).contains("CPU temperature and throttle flags"));
    }

    @Test
    void withoutVcgencmdTheFixInstallsIt() {
        Report r = probe(m.config("sensors:\n  mode: auto\n"), chipsAt(Map.of()));
        assertThat(r.in(Area.VCGENCMD)).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(Status.MISSING);
            assertThat(f.fix().lines()).containsExactly("sudo apt-get install -y libraspberrypi-bin");
        });
    }
}

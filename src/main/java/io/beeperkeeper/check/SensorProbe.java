package io.beeperkeeper.check;

import io.beeperkeeper.config.BeeperConfig;
import io.beeperkeeper.config.Bme680Config;
import io.beeperkeeper.config.SensorsConfig;
import io.beeperkeeper.sensor.bme680.Bme680ChipId;
import io.beeperkeeper.sensor.bme680.IioBme680Reader;
import io.beeperkeeper.sensor.system.CpuTemperatureSource;
import io.beeperkeeper.sensor.system.ThrottleFlags;
import io.beeperkeeper.sensor.system.ThrottleReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Sensors: the I2C buses, a BME680 at 0x76 or 0x77 on each (its chip id, 0x61), the kernel's IIO
 * driver, the CPU thermal zone and vcgencmd; then which BME680 access run takes, decided as the hub
 * decides it (IIO first unless sensors.bme680.access says i2c; simulated twins only as
 * {@link SensorsConfig#simulates} says).
 */
final class SensorProbe implements Probe {
    private static final int[] ADDRESSES = {0x76, 0x77};
    private final Host host;
    private final ChipReader chips;

    SensorProbe(Host host, ChipReader chips) {
        this.host = host;
        this.chips = chips;
    }

    /** A BME680 that answered its chip id. */
    private record Chip(int bus, int address) {
    }

    @Override
    public void probe(BeeperConfig config, Findings out) {
        Bme680Config b = config.sensors().bme680();
        List<Integer> buses = buses();
        if (buses.isEmpty()) {
            out.add(Finding.missing(Area.I2C, "i2c", "no I2C bus (/dev/i2c-*): I2C is off", Fix.run("sudo raspi-config nonint do_i2c 0")));
        } else {
            out.add(Finding.ok(Area.I2C, "i2c", "buses " + String.join(", ", buses.stream().map(n -> "/dev/i2c-" + n).toList())));
            if (!buses.contains(b.bus())) {
                out.add(Finding.missing(Area.I2C, "/dev/i2c-" + b.bus(), "sensors.bme680.bus is " + b.bus() + ", but /dev/i2c-" + b.bus()
                        + " does not exist", b.bus() == 1 ? Fix.run("sudo raspi-config nonint do_i2c 0")
                        : Fix.config(List.of("sensors:", "  bme680:", "    bus: " + buses.get(0)))));
            }
        }
        Optional<IioBme680Reader> iio = IioBme680Reader.find(host.file("/sys"));
        if (iio.isPresent()) {
            out.add(Finding.ok(Area.IIO, "bme680", iio.get().describe()));
        } else if (b.access().equals("iio")) {
            out.add(Finding.missing(Area.IIO, "bme680", "sensors.bme680.access is iio, but no IIO device is named bme680",
                    Fix.paste("/boot/firmware/config.txt, then reboot", List.of("dtoverlay=i2c-sensor,bme680"
                            + (b.address() == 0x76 ? ",addr=0x76" : "")))));
        } else {
            out.add(Finding.ok(Area.IIO, "bme680", "kernel IIO driver not loaded (not needed: run reads the chip over i2c-dev)"));
        }
        List<Chip> found = new ArrayList<>();
        List<String> tried = new ArrayList<>();
        for (int bus : buses) {
            for (int address : ADDRESSES) {
                Path dev = host.file("/dev/i2c-" + bus);
                try {
                    int id = chips.chipId(dev, address);
                    if (id == Bme680ChipId.BME68X) {
                        found.add(new Chip(bus, address));
                    } else {
                        tried.add(String.format("/dev/i2c-%d 0x%02x: chip id 0x%02X, no BME680", bus, address, id));
                    }
                } catch (IOException | RuntimeException e) {
                    tried.add(String.format("/dev/i2c-%d 0x%02x: %s", bus, address, CameraProbe.firstLine(String.valueOf(e.getMessage()))));
                }
            }
        }
        boolean iioUsed = iio.isPresent() && !b.access().equals("i2c");
        Optional<Chip> configured = found.stream().filter(c -> c.bus() == b.bus() && c.address() == b.address()).findFirst();
        boolean i2cUsed = !iioUsed && !b.access().equals("iio") && configured.isPresent();
        for (Chip c : found) {
            out.add(Finding.ok(Area.BME680, String.format("/dev/i2c-%d 0x%02x", c.bus(), c.address()), "chip id 0x61 (BME680 or BME688)"));
        }
        String bmeUse;
        if (iioUsed) {
            bmeUse = "BME680 through the kernel IIO driver (" + iio.get().describe() + ")";
        } else if (i2cUsed) {
            bmeUse = String.format("BME680 over i2c-dev, /dev/i2c-%d at 0x%02x", b.bus(), b.address());
        } else {
            bmeUse = "";
            bme680Missing(b, iio.isPresent(), found, tried, out);
        }
        boolean cpu = CpuTemperatureSource.available(host.file("/sys"));
        if (cpu) {
            out.add(Finding.ok(Area.CPU, "temperature", "/sys/class/thermal/thermal_zone0/temp"));
        } else {
            out.add(Finding.missing(Area.CPU, "temperature", "no /sys/class/thermal/thermal_zone0/temp: no CPU temperature",
                    Fix.todo("none needed off a Raspberry Pi")));
        }
        String throttle = throttle(config.sensors(), out);
        plan(config.sensors(), bmeUse, cpu, throttle, out);
    }

    private void bme680Missing(Bme680Config b, boolean iio, List<Chip> found, List<String> tried, Findings out) {
        String where = String.format("/dev/i2c-%d 0x%02x", b.bus(), b.address());
        if (iio && b.access().equals("i2c")) {
            out.add(Finding.missing(Area.BME680, where, "the kernel's IIO driver holds the chip, and sensors.bme680.access is i2c",
                    Fix.config(List.of("sensors:", "  bme680:", "    access: auto"))));
        } else if (!found.isEmpty() && !b.access().equals("iio")) {
            Chip c = found.get(0);
            out.add(Finding.missing(Area.BME680, where, String.format("no BME680 at the configured bus and address; one answers on"
                    + " /dev/i2c-%d at 0x%02x", c.bus(), c.address()), Fix.config(List.of("sensors:", "  bme680:",
                    "    bus: " + c.bus(), String.format("    address: 0x%02x", c.address())))));
        } else if (!b.access().equals("iio")) {
            out.add(Finding.missing(Area.BME680, where, "no BME680 answers" + (tried.isEmpty() ? " (no I2C bus)" : ": " + String.join("; ", tried)),
                    Fix.todo("wire the BME680 to 3.3 V, GND, SDA (pin 3) and SCL (pin 5); 'sudo apt-get install -y i2c-tools'"
                            + " then 'i2cdetect -y " + b.bus() + "' should show 76 or 77")));
        }
    }

    /** The throttle flags as run reads them (firmware sysfs node, else the throttle command), or empty. */
    private String throttle(SensorsConfig s, Findings out) {
        List<String> cmd = s.throttleCommand().isBlank() ? List.of() : List.of(s.throttleCommand().trim().split("\\s+"));
        Optional<Path> exe = cmd.isEmpty() ? Optional.empty() : host.which(cmd.get(0));
        List<String> resolved = new ArrayList<>(cmd);
        exe.ifPresent(p -> resolved.set(0, p.toString()));
        Optional<ThrottleFlags> flags = new ThrottleReader(host.file("/sys"), exe.isPresent() ? resolved : List.of()).read();
        if (cmd.isEmpty()) {
            out.add(Finding.ok(Area.VCGENCMD, "throttled", "sensors.throttleCommand is empty: "
                    + flags.map(f -> "firmware node: " + f.describe()).orElse("throttle flags not read")));
        } else if (exe.isEmpty()) {
            out.add(Finding.missing(Area.VCGENCMD, cmd.get(0), cmd.get(0) + " is not installed"
                    + flags.map(f -> " (the firmware node answers: " + f.describe() + ")").orElse(": no throttle flags"),
                    Fix.install("libraspberrypi-bin")));
        } else if (flags.isEmpty()) {
            out.add(Finding.missing(Area.VCGENCMD, cmd.get(0), String.join(" ", cmd) + " gives no throttle word (not a Raspberry Pi?)",
                    Fix.todo("add the user to the video group (sudo usermod -aG video $USER), or none needed off a Pi")));
        } else {
            out.add(Finding.ok(Area.VCGENCMD, cmd.get(0), exe.get() + ": " + flags.get().hex() + ", " + flags.get().describe()));
        }
        return flags.isPresent() ? "throttle flags" : "";
    }

    private void plan(SensorsConfig s, String bme, boolean cpu, String throttle, Findings out) {
        boolean hardware = !bme.isEmpty() || cpu;
        if (s.simulates(hardware)) {
            out.uses("sensors: simulated twins, every value marked simulated (" + (s.simulated() ? "sensors.mode is simulated"
                    : "no settings file and no sensor hardware") + ")");
            return;
        }
        List<String> parts = new ArrayList<>();
        if (!bme.isEmpty()) {
            parts.add(bme);
        }
        if (cpu) {
            parts.add("CPU temperature" + (throttle.isEmpty() ? "" : " and " + throttle));
        }
        parts.add("system stats");
        out.uses("sensors: " + String.join("; ", parts) + (bme.isEmpty() ? " (no BME680: no temperature, humidity, pressure or air quality)" : ""));
        if (s.mode() == SensorsConfig.Mode.HARDWARE) {
            if (bme.isEmpty()) {
                out.add(Finding.blocker(Area.BME680, "sensors.mode", "sensors.mode is hardware, but no BME680 is reachable: run refuses"
                        + " to start", Fix.config(List.of("sensors:", "  mode: auto"))));
            }
            if (!cpu) {
                out.add(Finding.blocker(Area.CPU, "sensors.mode", "sensors.mode is hardware, but there is no CPU thermal zone: run"
                        + " refuses to start", Fix.config(List.of("sensors:", "  mode: auto"))));
            }
        }
    }

    private List<Integer> buses() {
        Path dev = host.file("/dev");
        if (!Files.isDirectory(dev)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dev)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("i2c-\\d+"))
                    .map(n -> Integer.parseInt(n.substring(4))).sorted(Comparator.naturalOrder()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}

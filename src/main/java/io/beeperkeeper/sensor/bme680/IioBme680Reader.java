package io.beeperkeeper.sensor.bme680;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * BME680 through the kernel's IIO driver ({@code dtoverlay=i2c-sensor,bme680}): reads
 * {@code <sysRoot>/bus/iio/devices/iio:deviceN/} whose {@code name} is {@code bme680}; no user-space
 * I2C. Units as the driver reports them: {@code in_temp_input} milli-degC; {@code in_pressure_input} kPa
 * (kernels before 5.x gave hPa: values above 200 are taken as hPa); {@code in_humidityrelative_input}
 * percent (values above 100 are taken as milli-percent, the IIO ABI unit); {@code in_resistance_input}
 * ohm. The sysfs root is injectable so tests run on a fake sysfs tree.
 */
public final class IioBme680Reader implements Bme680Reader {
    static final String DEVICES = "bus/iio/devices";
    private final Path device;

    public IioBme680Reader(Path device) {
        this.device = device;
    }

    /** Finds the first IIO device named bme680 under {@code sysRoot} ("/sys" in production). */
    public static Optional<IioBme680Reader> find(Path sysRoot) {
        Path dir = sysRoot.resolve(DEVICES);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> devices = s.filter(p -> p.getFileName().toString().startsWith("iio:device")).sorted().toList();
            for (Path d : devices) {
                Path name = d.resolve("name");
                if (Files.isReadable(name) && Files.readString(name).trim().equals("bme680")) {
                    return Optional.of(new IioBme680Reader(d));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    @Override
    public String describe() {
        return "BME680 via kernel IIO at " + device;
    }

    @Override
    public Bme680Values read() throws IOException {
        double t = number("in_temp_input") / 1000.0;
        double p = number("in_pressure_input");
        p = p > 200 ? p * 100 : p * 1000;
        double h = number("in_humidityrelative_input");
        h = h > 100 ? h / 1000.0 : h;
        double g;
        try {
            g = number("in_resistance_input");
        } catch (NoSuchFileException e) {
            g = Double.NaN;
        } catch (IOException e) {
            // The driver returns EINVAL/EBUSY when the heater did not reach its target: no gas this time.
            g = Double.NaN;
        }
        return new Bme680Values(t, p, h, g, "BME680");
    }

    private double number(String file) throws IOException {
        String text = Files.readString(device.resolve(file)).trim();
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IOException(device.resolve(file) + " holds '" + text + "', not a number");
        }
    }
}

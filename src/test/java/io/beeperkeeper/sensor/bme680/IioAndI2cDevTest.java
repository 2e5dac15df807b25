package io.beeperkeeper.sensor.bme680;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The IIO reader on a fake sysfs tree, and the i2c-dev bus's real libc calls failing as they do without a chip. */
class IioAndI2cDevTest {

    private static Path device(Path root, String dir, String name) throws IOException {
        Path d = Files.createDirectories(root.resolve("sys/bus/iio/devices").resolve(dir));
        Files.writeString(d.resolve("name"), name + "\n");
        return d;
    }

    @Test
    void findsTheBme680AmongIioDevicesAndReadsItsUnits(@TempDir Path root) throws IOException {
        device(root, "iio:device0", "mcp3008");
        Path d = device(root, "iio:device1", "bme680");
        Files.writeString(d.resolve("in_temp_input"), "23460\n");
        Files.writeString(d.resolve("in_pressure_input"), "101.325000\n");
        Files.writeString(d.resolve("in_humidityrelative_input"), "38.528000\n");
        Files.writeString(d.resolve("in_resistance_input"), "120345\n");

        IioBme680Reader reader = IioBme680Reader.find(root.resolve("sys")).orElseThrow();
        Bme680Values v = reader.read();
        assertThat(v.temperatureC()).isEqualTo(23.46);
        assertThat(v.pressurePa()).isEqualTo(101325.0);
        assertThat(v.humidityRh()).isEqualTo(38.528);
        assertThat(v.gasOhm()).isEqualTo(120345.0);
        assertThat(reader.describe()).contains("iio:device1");
    }

    @Test
    void olderKernelUnitsAndMissingGas(@TempDir Path root) throws IOException {
        Path d = device(root, "iio:device0", "bme680");
        Files.writeString(d.resolve("in_temp_input"), "-1500");
        Files.writeString(d.resolve("in_pressure_input"), "1013.25"); // hPa, before the kPa fix
        Files.writeString(d.resolve("in_humidityrelative_input"), "45500"); // milli-percent
        Bme680Values v = IioBme680Reader.find(root.resolve("sys")).orElseThrow().read();
        assertThat(v.temperatureC()).isEqualTo(-1.5);
        assertThat(v.pressurePa()).isEqualTo(101325.0);
        assertThat(v.humidityRh()).isEqualTo(45.5);
        assertThat(v.hasGas()).isFalse();
    }

    @Test
    void noIioTreeOrNoBme680MeansNotFound(@TempDir Path root) throws IOException {
        assertThat(IioBme680Reader.find(root.resolve("sys"))).isEmpty();
        device(root, "iio:device0", "bmp280");
        assertThat(IioBme680Reader.find(root.resolve("sys"))).isEmpty();
    }

    @Test
    void garbageInSysfsIsAnIoErrorNotACrash(@TempDir Path root) throws IOException {
        Path d = device(root, "iio:device0", "bme680");
        Files.writeString(d.resolve("in_temp_input"), "oops");
        assertThatThrownBy(() -> IioBme680Reader.find(root.resolve("sys")).orElseThrow().read())
                .isInstanceOf(IOException.class).hasMessageContaining("oops");
    }

    @Test
    void missingI2cAdapterNamesTheFix() {
        assertThatThrownBy(() -> I2cDevBus.open(Path.of("/dev/i2c-97"), 0x77))
                .isInstanceOf(IOException.class).hasMessageContaining("/dev/i2c-97").hasMessageContaining("raspi-config");
    }

    @Test
    void aFileThatIsNotAnI2cAdapterFailsTheIoctl(@TempDir Path dir) throws IOException {
        Path notAnAdapter = Files.writeString(dir.resolve("i2c-fake"), "");
        assertThatThrownBy(() -> I2cDevBus.open(notAnAdapter, 0x77))
                .isInstanceOf(IOException.class).hasMessageContaining("I2C_SLAVE 0x77");
    }
}

package io.beeperkeeper.sensor;

import io.beeperkeeper.config.Bme680Config;
import io.beeperkeeper.config.CameraMetadataConfig;
import io.beeperkeeper.config.ConfigException;
import io.beeperkeeper.config.SensorsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HardwareSensorsTest {

    private static ReadingSource twin(ReadingKind kind) {
        return new ReadingSource() {
            public String name() {
                return kind + " (simulated)";
            }

            public List<Reading> poll(Instant now) {
                return List.of(new Reading(kind, now, Map.of("simulated", 1)));
            }
        };
    }

    private static Map<ReadingKind, Supplier<ReadingSource>> twins() {
        Map<ReadingKind, Supplier<ReadingSource>> m = HardwareSensors.twins();
        for (ReadingKind k : ReadingKind.values()) {
            m.put(k, () -> twin(k));
        }
        return m;
    }

    private static SensorsConfig config(String mode, Path root) {
        return new SensorsConfig(SensorsConfig.Mode.fromWire(mode), 5, "", Bme680Config.defaults(), CameraMetadataConfig.defaults());
    }

    private static HardwareSensors sensors(SensorsConfig c, Path root) {
        return new HardwareSensors(c, root.resolve("sys"), root.resolve("proc"), root.resolve("dev"), root.resolve("data"));
    }

    private static void fakePi(Path root) throws IOException {
        Path iio = Files.createDirectories(root.resolve("sys/bus/iio/devices/iio:device0"));
        Files.writeString(iio.resolve("name"), "bme680\n");
        Files.writeString(iio.resolve("in_temp_input"), "21000");
        Files.writeString(iio.resolve("in_pressure_input"), "99.5");
        Files.writeString(iio.resolve("in_humidityrelative_input"), "55.0");
        Files.writeString(iio.resolve("in_resistance_input"), "90000");
        Path zone = Files.createDirectories(root.resolve("sys/class/thermal/thermal_zone0"));
        Files.writeString(zone.resolve("temp"), "51000");
        Path proc = Files.createDirectories(root.resolve("proc"));
        Files.writeString(proc.resolve("stat"), "cpu  1 0 1 8 0 0 0 0 0 0\n");
        Files.writeString(proc.resolve("meminfo"), "MemTotal: 100 kB\nMemAvailable: 50 kB\n");
        Files.writeString(proc.resolve("loadavg"), "0.1 0.2 0.3 1/2 3\n");
        Files.writeString(proc.resolve("uptime"), "100.0 50.0\n");
    }

    /** A missing sensor in auto publishes nothing (a simulated value next to real ones would pass as real). */
    @Test
    void autoLeavesOutWhatIsNotConnectedAndSaysWhy(@TempDir Path root) {
        assertThat(sensors(config("auto", root), root).choose(twins())).isEmpty();
        List<HardwareSensors.Choice> all = sensors(config("auto", root), root).chooseAll(twins());
        assertThat(all).extracting(HardwareSensors.Choice::kind)
                .containsExactly(ReadingKind.BME680, ReadingKind.CPU_TEMPERATURE, ReadingKind.SYSTEM_STATS);
        assertThat(all).allMatch(c -> c.source() == null && !c.simulated());
        assertThat(all.get(0).reason()).contains("no IIO device").contains("dev/i2c-1 absent").contains("raspi-config");
    }

    /** What the node sends, for Home Assistant: only the sensors found, the camera's metadata and sound only when there. */
    @Test
    void presentKindsAreTheSensorsFoundOrSimulated(@TempDir Path root) throws IOException {
        SensorSetup bare = new SensorSetup(config("auto", root), root.resolve("sys"), root.resolve("proc"), root.resolve("data"));
        bare.sources();
        assertThat(bare.present()).isEmpty();
        SensorSetup withMicrophone = new SensorSetup(config("auto", root), root.resolve("sys"), root.resolve("proc"), root.resolve("data"), true);
        withMicrophone.sources();
        assertThat(withMicrophone.present()).containsExactly(ReadingKind.AUDIO_LEVEL);
        fakePi(root);
        SensorSetup pi = new SensorSetup(config("auto", root), root.resolve("sys"), root.resolve("proc"), root.resolve("data"));
        pi.sources();
        assertThat(pi.present()).containsExactlyInAnyOrder(ReadingKind.BME680, ReadingKind.CPU_TEMPERATURE, ReadingKind.SYSTEM_STATS);
        SensorSetup sim = new SensorSetup(config("simulated", root), root.resolve("sys"), root.resolve("proc"), root.resolve("data"));
        sim.sources();
        assertThat(sim.present()).contains(ReadingKind.BME680, ReadingKind.CAMERA_METADATA, ReadingKind.AUDIO_LEVEL);
    }

    /** The zero-config demo simulates only on a machine without any sensor hardware. */
    @Test
    void demoSimulatesOnlyWithoutAnySensorHardware(@TempDir Path root) throws IOException {
        assertThat(sensors(config("demo", root), root).choose(twins())).hasSize(3).allMatch(HardwareSensors.Choice::simulated);
        fakePi(root);
        assertThat(sensors(config("demo", root), root).choose(twins())).hasSize(3).noneMatch(HardwareSensors.Choice::simulated);
    }

    @Test
    void autoTakesTheDriversItFinds(@TempDir Path root) throws IOException {
        fakePi(root);
        List<HardwareSensors.Choice> c = sensors(config("auto", root), root).choose(twins());
        assertThat(c).noneMatch(HardwareSensors.Choice::simulated);
        Reading bme = c.get(0).source().poll(Instant.parse("2026-05-01T08:00:00Z")).get(0);
        assertThat(bme.fields()).containsEntry("temperature", 21.0).containsEntry("pressure", 995.0)
                .containsEntry("humidity", 55.0).containsEntry("gas_resistance", 90000L).containsEntry("iaq_accuracy", 0);
        assertThat(c.get(1).source().poll(Instant.now()).get(0).fields()).containsEntry("temperature", 51.0);
    }

    @Test
    void simulatedModeIgnoresHardware(@TempDir Path root) throws IOException {
        fakePi(root);
        assertThat(sensors(config("simulated", root), root).choose(twins())).allMatch(HardwareSensors.Choice::simulated);
    }

    @Test
    void aKindWithoutTwinUsesItsDriverOrIsLeftOut(@TempDir Path root) throws IOException {
        Map<ReadingKind, Supplier<ReadingSource>> noStatsTwin = twins();
        noStatsTwin.remove(ReadingKind.SYSTEM_STATS);
        assertThat(sensors(config("simulated", root), root).choose(noStatsTwin)).extracting(HardwareSensors.Choice::kind)
                .containsExactly(ReadingKind.BME680, ReadingKind.CPU_TEMPERATURE);
        fakePi(root);
        List<HardwareSensors.Choice> sim = sensors(config("simulated", root), root).choose(noStatsTwin);
        assertThat(sim.get(2).simulated()).isFalse();
        assertThat(sim.get(2).kind()).isEqualTo(ReadingKind.SYSTEM_STATS);
    }

    @Test
    void hardwareModeRefusesToStartWithoutTheChip(@TempDir Path root) {
        assertThatThrownBy(() -> sensors(config("hardware", root), root).choose(twins()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sensors/bme680/all").hasMessageContaining("sensors.mode");
    }
}

package io.beeperkeeper.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SensorsConfigTest {

    @Test
    void sensorSectionsFromYamlAndEnvironment(@TempDir Path dir) throws IOException {
        Path yaml = Files.writeString(dir.resolve("beeper.yaml"), """
                sensors:
                  mode: hardware
                  bme680:
                    access: i2c
                    address: 0x76
                    heaterDurationMs: 100
                  cameraMetadata:
                    fifo: /run/beeper/csi-meta
                    format: json
                """);
        BeeperConfig c = new ConfigLoader().load(yaml, Map.of("BEEPER_SENSORS_BME680_HEATER_TEMP_C", "300"), Map.of());
        assertThat(c.sensors().mode()).isEqualTo(SensorsConfig.Mode.HARDWARE);
        assertThat(c.sensors().bme680().address()).isEqualTo(0x76);
        assertThat(c.sensors().bme680().heaterTempC()).isEqualTo(300);
        assertThat(c.sensors().bme680().heaterDurationMs()).isEqualTo(100);
        assertThat(c.sensors().bme680().bus()).isEqualTo(1);
        assertThat(c.sensors().cameraMetadata().format()).isEqualTo(CameraMetadataConfig.Format.JSON);
        assertThat(c.sensors().throttleCommand()).isEqualTo("vcgencmd get_throttled");
    }

    @Test
    void badValuesNameTheKey(@TempDir Path dir) throws IOException {
        Path yaml = Files.writeString(dir.resolve("beeper.yaml"), "sensors:\n  bme680:\n    address: 0x40\n");
        assertThatThrownBy(() -> new ConfigLoader().load(yaml, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sensors.bme680.address");
        Path yaml2 = Files.writeString(dir.resolve("b2.yaml"), "sensors:\n  cameraMetadata:\n    format: xml\n");
        assertThatThrownBy(() -> new ConfigLoader().load(yaml2, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sensors.cameraMetadata.format");
    }

    @Test
    void modesAreWordsFromAFixedListAndAWrongOneNamesThem() {
        assertThatThrownBy(() -> new ConfigLoader().load(null, Map.of("BEEPER_SENSORS_MODE", "real"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sensors.mode").hasMessageContaining("'real'").hasMessageContaining("auto, simulated, hardware, demo");
        assertThatThrownBy(() -> new ConfigLoader().load(null, Map.of(), Map.of("sensors.cameraMetadata.format", "xml")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sensors.cameraMetadata.format").hasMessageContaining("'xml'").hasMessageContaining("txt, json");
        BeeperConfig c = new ConfigLoader().load(null, Map.of(), Map.of("sensors.mode", "simulated", "sensors.cameraMetadata.format", "json"));
        assertThat(c.sensors().mode()).isEqualTo(SensorsConfig.Mode.SIMULATED);
        assertThat(c.sensors().simulated()).isTrue();
        assertThat(c.sensors().cameraMetadata().format()).isEqualTo(CameraMetadataConfig.Format.JSON);
    }
}

package io.beeperkeeper.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HomeAssistantDiscoveryTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void oneRetainedConfigPerMetricWithClassUnitAndSharedDevice() throws Exception {
        TopicLayout topics = new TopicLayout("beeper", "coop1", false);
        List<DiskQueue.Message> configs = new HomeAssistantDiscovery(json, "coop1", "0.1.0").configs(topics::topic, topics.availabilityTopic());
        assertThat(configs).hasSize(HomeAssistantDiscovery.ENTITIES.size()).allMatch(DiskQueue.Message::retained);
        Map<String, JsonNode> byTopic = new HashMap<>();
        for (DiskQueue.Message m : configs) {
            byTopic.put(m.topic(), json.readTree(m.payload()));
        }
        JsonNode hum = byTopic.get("homeassistant/sensor/beeper_coop1_humidity/config");
        assertThat(hum.get("device_class").asText()).isEqualTo("humidity");
        assertThat(hum.get("unit_of_measurement").asText()).isEqualTo("%");
        assertThat(hum.get("state_class").asText()).isEqualTo("measurement");
        assertThat(hum.get("state_topic").asText()).isEqualTo("beeper/coop1/sensors/bme680/all");
        assertThat(hum.get("availability_topic").asText()).isEqualTo("beeper/coop1/status");
        JsonNode pressure = byTopic.get("homeassistant/sensor/beeper_coop1_pressure/config");
        assertThat(pressure.get("device_class").asText()).isEqualTo("atmospheric_pressure");
        assertThat(pressure.get("unit_of_measurement").asText()).isEqualTo("hPa");
        assertThat(byTopic.get("homeassistant/sensor/beeper_coop1_exposure_time/config").get("value_template").asText())
                .isEqualTo("{{ value_json.ExposureTime }}");
        assertThat(byTopic.values()).extracting(n -> n.get("device")).containsOnly(hum.get("device"));
    }

    @Test
    void seedTopicsKeepTheSkeletonsTopics() {
        TopicLayout seed = new TopicLayout("beeper", "coop1", true);
        assertThat(seed.topic(io.beeperkeeper.sensor.ReadingKind.CPU_TEMPERATURE)).isEqualTo("beeper/sensors/cpu/temperature");
        assertThat(seed.availabilityTopic()).isEqualTo("beeper/coop1/status");
        assertThat(new TopicLayout("beeper", "coop1", false).topic(io.beeperkeeper.sensor.ReadingKind.SYSTEM_STATS))
                .isEqualTo("beeper/coop1/system/stats");
    }
}

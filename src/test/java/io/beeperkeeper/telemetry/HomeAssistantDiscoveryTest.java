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
        HomeAssistantDiscovery discovery = new HomeAssistantDiscovery(json, "coop1", "0.1.0");
        List<DiskQueue.Message> configs = discovery.configs(topics::topic, topics.availabilityTopic());
        assertThat(configs).hasSize(HomeAssistantDiscovery.ENTITIES.size() + discovery.binaryEntities().size())
                .allMatch(DiskQueue.Message::retained);
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

    /**
     * The configs against Home Assistant's MQTT discovery documentation (sensor and binary_sensor,
     * 2025.10+): documented keys only, {@code default_entity_id} instead of the removed {@code object_id},
     * units the device class allows, diagnostics categorised, an origin block, the page linked.
     */
    @Test
    void configsFollowHomeAssistantsDocumentedSchema() throws Exception {
        TopicLayout topics = new TopicLayout("beeper", "coop1", false);
        HomeAssistantDiscovery discovery = new HomeAssistantDiscovery(json, "coop1", "1.2.3", "http://coop1:8080/", 50, 30);
        Map<String, JsonNode> byId = new HashMap<>();
        java.util.Set<String> documented = java.util.Set.of("name", "unique_id", "default_entity_id", "state_topic", "value_template",
                "unit_of_measurement", "device_class", "icon", "state_class", "entity_category", "availability_topic",
                "availability_template", "payload_available", "payload_not_available", "expire_after", "device", "origin",
                "payload_on", "payload_off", "json_attributes_topic", "json_attributes_template");
        Map<String, String> unitsOfClass = Map.of("temperature", "°C", "humidity", "%", "atmospheric_pressure", "hPa", "illuminance", "lx");
        for (DiskQueue.Message m : discovery.configs(topics::topic, topics.availabilityTopic())) {
            JsonNode c = json.readTree(m.payload());
            String component = m.topic().split("/")[1];
            assertThat(component).isIn("sensor", "binary_sensor");
            assertThat(m.topic()).isEqualTo("homeassistant/" + component + "/" + c.get("unique_id").asText() + "/config");
            java.util.List<String> keys = new java.util.ArrayList<>();
            c.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).as(m.topic()).isSubsetOf(documented).contains("state_topic", "unique_id", "default_entity_id", "origin");
            assertThat(c.get("default_entity_id").asText()).isEqualTo(component + "." + c.get("unique_id").asText());
            assertThat(c.get("origin").get("name").asText()).isEqualTo("Beeper Keeper");
            assertThat(c.get("origin").get("sw_version").asText()).isEqualTo("1.2.3");
            assertThat(c.get("device").get("configuration_url").asText()).isEqualTo("http://coop1:8080/");
            if (c.has("entity_category")) {
                assertThat(c.get("entity_category").asText()).isEqualTo("diagnostic");
            }
            if (c.has("device_class") && unitsOfClass.containsKey(c.get("device_class").asText())) {
                assertThat(c.get("unit_of_measurement").asText()).isEqualTo(unitsOfClass.get(c.get("device_class").asText()));
            }
            if (component.equals("binary_sensor")) {
                assertThat(c.get("device_class").asText()).isIn("light", "problem");
                assertThat(c.has("state_class")).isFalse();
            }
            byId.put(c.get("unique_id").asText().substring("beeper_coop1_".length()), c);
        }
        for (String diagnostic : List.of("cpu_percent", "memory_percent", "disk_percent", "cpu_temperature", "exposure_time",
                "analogue_gain", "colour_temperature", "iaq_accuracy", "throttling", "under_voltage")) {
            assertThat(byId.get(diagnostic).path("entity_category").asText()).as(diagnostic).isEqualTo("diagnostic");
        }
        assertThat(byId.get("temperature").has("entity_category")).isFalse();
        assertThat(byId.get("temperature").get("json_attributes_template").asText()).contains("value_json.simulated");
        assertThat(byId.get("iaq_accuracy").has("state_class")).isFalse();
        assertThat(byId.get("audio_level_db").get("unit_of_measurement").asText()).isEqualTo("dBFS");
        assertThat(byId.get("audio_level_db").has("device_class")).isFalse();
        assertThat(byId.get("lights_on").get("device_class").asText()).isEqualTo("light");
        assertThat(byId.get("lights_on").get("state_topic").asText()).isEqualTo("beeper/coop1/camera/csi/metadata");
        assertThat(byId.get("lights_on").get("value_template").asText())
                .isEqualTo("{% if value_json.Lux is defined %}{% if value_json.Lux >= 50.0 %}ON{% elif value_json.Lux < 30.0 %}OFF{% endif %}{% endif %}");
        assertThat(byId.get("throttling").get("device_class").asText()).isEqualTo("problem");
        assertThat(byId.get("throttling").get("state_topic").asText()).isEqualTo("beeper/coop1/sensors/cpu/temperature");
    }

    /** Only the kinds the node sends: no BME680 entities without a BME680 (or its simulation), no lights without metadata. */
    @Test
    void onlyTheEntitiesOfTheKindsTheNodeSends() throws Exception {
        TopicLayout topics = new TopicLayout("beeper", "coop1", false);
        HomeAssistantDiscovery discovery = new HomeAssistantDiscovery(json, "coop1", "1.2.3", "http://coop1:8080/", 50, 30);
        List<String> ids = new java.util.ArrayList<>();
        for (DiskQueue.Message m : discovery.configs(java.util.EnumSet.of(io.beeperkeeper.sensor.ReadingKind.SYSTEM_STATS,
                io.beeperkeeper.sensor.ReadingKind.CPU_TEMPERATURE), topics::topic, topics.availabilityTopic())) {
            ids.add(json.readTree(m.payload()).get("unique_id").asText().substring("beeper_coop1_".length()));
        }
        assertThat(ids).containsExactlyInAnyOrder("cpu_temperature", "cpu_percent", "memory_percent", "disk_percent",
                "throttling", "under_voltage");
        assertThat(discovery.configs(java.util.EnumSet.noneOf(io.beeperkeeper.sensor.ReadingKind.class), topics::topic,
                topics.availabilityTopic())).isEmpty();
    }

    /**
     * A camera as Home Assistant's MQTT image platform documents it (and its discovery schema checks):
     * exactly one of {@code url_topic} / {@code image_topic} (here url_topic, with {@code url_template}),
     * no {@code content_type} with url_topic, none of the sensor's keys (state_topic, expire_after).
     */
    @Test
    void eachCameraIsAnImageEntityWithItsStillsUrl() throws Exception {
        TopicLayout topics = new TopicLayout("beeper", "coop1", false);
        HomeAssistantDiscovery discovery = new HomeAssistantDiscovery(json, "coop1", "1.2.3", "http://coop1:8080/", 50, 30,
                List.of("csi", "usb"));
        Map<String, JsonNode> images = new HashMap<>();
        for (DiskQueue.Message m : discovery.configs(java.util.EnumSet.noneOf(io.beeperkeeper.sensor.ReadingKind.class), topics::topic,
                topics.availabilityTopic(), c -> HomeAssistantDiscovery.cameraUrlTopic("beeper", "coop1", c))) {
            assertThat(m.retained()).isTrue();
            images.put(m.topic(), json.readTree(m.payload()));
        }
        assertThat(images).containsOnlyKeys("homeassistant/image/beeper_coop1_camera_csi/config", "homeassistant/image/beeper_coop1_camera_usb/config");
        java.util.Set<String> documented = java.util.Set.of("name", "unique_id", "default_entity_id", "url_topic", "url_template",
                "image_topic", "image_encoding", "content_type", "icon", "entity_category", "availability_topic", "availability_template",
                "payload_available", "payload_not_available", "device", "origin", "json_attributes_topic", "json_attributes_template");
        for (JsonNode c : images.values()) {
            List<String> keys = new java.util.ArrayList<>();
            c.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).isSubsetOf(documented).contains("url_topic", "url_template", "unique_id", "default_entity_id", "device", "origin")
                    .doesNotContain("image_topic", "content_type", "state_topic", "expire_after");
            assertThat(c.get("default_entity_id").asText()).isEqualTo("image." + c.get("unique_id").asText());
        }
        JsonNode csi = images.get("homeassistant/image/beeper_coop1_camera_csi/config");
        assertThat(csi.get("url_topic").asText()).isEqualTo("beeper/coop1/ha/camera/csi/snapshot");
        assertThat(csi.get("url_template").asText()).isEqualTo("{{ value_json.url }}");
        assertThat(discovery.snapshotUrl("csi", 1700000000)).isEqualTo("http://coop1:8080/api/cameras/csi/snapshot.jpg?at=1700000000");
        // without the page's address Home Assistant could not fetch a still: no image entity
        assertThat(new HomeAssistantDiscovery(json, "coop1", "1.2.3", "", 50, 30, List.of("csi")).cameras()).isEmpty();
    }
}

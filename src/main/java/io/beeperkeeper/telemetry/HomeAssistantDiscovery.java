package io.beeperkeeper.telemetry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beeperkeeper.sensor.ReadingKind;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Home Assistant MQTT discovery: one retained {@code homeassistant/sensor/<unique_id>/config} message
 * per metric, pointing at the reading's own topic with a value template, with the right device class,
 * unit and {@code state_class: measurement}, one shared device block per node, and the node's
 * availability topic (retained {@code online}, and {@code offline} as the client's last will).
 */
public final class HomeAssistantDiscovery {
    /** One metric as Home Assistant sees it. */
    public record Entity(ReadingKind kind, String field, String metric, String name, String unit, String deviceClass, String icon) {
    }

    public static final List<Entity> ENTITIES = List.of(
            new Entity(ReadingKind.BME680, "temperature", "temperature", "Temperature", "°C", "temperature", null),
            new Entity(ReadingKind.BME680, "humidity", "humidity", "Humidity", "%", "humidity", null),
            new Entity(ReadingKind.BME680, "pressure", "pressure", "Pressure", "hPa", "atmospheric_pressure", null),
            new Entity(ReadingKind.BME680, "gas_resistance", "gas_resistance", "Gas resistance", "Ω", null, "mdi:omega"),
            new Entity(ReadingKind.BME680, "iaq", "iaq", "Air quality (IAQ estimate)", null, "aqi", null),
            new Entity(ReadingKind.BME680, "iaq_accuracy", "iaq_accuracy", "IAQ accuracy", null, null, "mdi:target"),
            new Entity(ReadingKind.CPU_TEMPERATURE, "temperature", "cpu_temperature", "CPU temperature", "°C", "temperature", null),
            new Entity(ReadingKind.SYSTEM_STATS, "cpu_percent", "cpu_percent", "CPU", "%", null, "mdi:cpu-64-bit"),
            new Entity(ReadingKind.SYSTEM_STATS, "memory_percent", "memory_percent", "Memory", "%", null, "mdi:memory"),
            new Entity(ReadingKind.SYSTEM_STATS, "disk_percent", "disk_percent", "Disk", "%", null, "mdi:harddisk"),
            new Entity(ReadingKind.CAMERA_METADATA, "ExposureTime", "exposure_time", "Exposure time", "µs", null, "mdi:camera-timer"),
            new Entity(ReadingKind.CAMERA_METADATA, "AnalogueGain", "analogue_gain", "Analogue gain", null, null, "mdi:brightness-6"),
            new Entity(ReadingKind.CAMERA_METADATA, "Lux", "lux", "Light", "lx", "illuminance", null),
            new Entity(ReadingKind.CAMERA_METADATA, "ColourTemperature", "colour_temperature", "Colour temperature", "K", null, "mdi:thermometer"),
            new Entity(ReadingKind.AUDIO_LEVEL, "level_db", "audio_level_db", "Sound level", "dB", null, "mdi:microphone"));

    private final ObjectMapper json;
    private final String node;
    private final String version;

    public HomeAssistantDiscovery(ObjectMapper json, String node, String version) {
        this.json = json;
        this.node = node;
        this.version = version;
    }

    public static String uniqueId(String node, String metric) {
        return "beeper_" + node.replaceAll("[^A-Za-z0-9_-]", "_") + "_" + metric;
    }

    public static String configTopic(String uniqueId) {
        return "homeassistant/sensor/" + uniqueId + "/config";
    }

    /** The retained config messages, topic and payload, for every entity. */
    public List<DiskQueue.Message> configs(Function<ReadingKind, String> stateTopic, String availabilityTopic) {
        List<DiskQueue.Message> out = new ArrayList<>();
        for (Entity e : ENTITIES) {
            String id = uniqueId(node, e.metric());
            ObjectNode c = json.createObjectNode();
            c.put("name", e.name());
            c.put("unique_id", id);
            c.put("object_id", id);
            c.put("state_topic", stateTopic.apply(e.kind()));
            c.put("value_template", "{{ value_json." + e.field() + " }}");
            if (e.unit() != null) {
                c.put("unit_of_measurement", e.unit());
            }
            if (e.deviceClass() != null) {
                c.put("device_class", e.deviceClass());
            }
            if (e.icon() != null) {
                c.put("icon", e.icon());
            }
            c.put("state_class", "measurement");
            c.put("availability_topic", availabilityTopic);
            c.put("availability_template", "{{ value_json.state }}");
            c.put("payload_available", "online");
            c.put("payload_not_available", "offline");
            c.put("expire_after", 600);
            ObjectNode device = c.putObject("device");
            device.putArray("identifiers").add("beeper_" + node);
            device.put("name", "Beeper Keeper " + node);
            device.put("manufacturer", "Beeper Keeper");
            device.put("model", "coop monitor");
            device.put("sw_version", version);
            try {
                out.add(new DiskQueue.Message(configTopic(id), json.writeValueAsBytes(c), true));
            } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return out;
    }
}

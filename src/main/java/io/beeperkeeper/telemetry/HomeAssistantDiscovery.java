package io.beeperkeeper.telemetry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beeperkeeper.sensor.ReadingKind;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Home Assistant MQTT discovery as Home Assistant documents it (2025.10 and later): one retained
 * {@code homeassistant/<component>/<unique_id>/config} message per entity, pointing at the reading's own
 * topic with a value template, with the right device class and unit, {@code default_entity_id} (the
 * deprecated {@code object_id} is gone), {@code entity_category: diagnostic} for the Pi's and the
 * camera's own figures, one shared device block per node with a link to the hub's page, an
 * {@code origin} block naming Beeper Keeper, and the node's availability topic (retained
 * {@code online}, and {@code offline} as the client's last will). Lights on/off and the Pi's throttling
 * and under-voltage are binary sensors. Only the entities of the kinds of reading the node sends are
 * announced (no BME680 entities without a BME680 or its simulation). Each camera is an {@code image}
 * entity (HA's MQTT image platform, {@code url_topic} + {@code url_template}): the hub keeps the URL of
 * the camera's still on {@link #cameraUrlTopic} and HA fetches the JPEG from the hub's page address.
 */
final class HomeAssistantDiscovery {
    /** One numeric sensor as Home Assistant sees it; {@code diagnostic} puts it under the device's diagnostics. */
    public record Entity(ReadingKind kind, String field, String metric, String name, String unit, String deviceClass, String icon,
                         boolean diagnostic, boolean measurement) {
    }

    /** One on/off entity computed from a reading by a template. */
    public record BinaryEntity(ReadingKind kind, String id, String name, String deviceClass, String template, boolean diagnostic) {
    }

    public static final List<Entity> ENTITIES = List.of(
            new Entity(ReadingKind.BME680, "temperature", "temperature", "Temperature", "°C", "temperature", null, false, true),
            new Entity(ReadingKind.BME680, "humidity", "humidity", "Humidity", "%", "humidity", null, false, true),
            new Entity(ReadingKind.BME680, "pressure", "pressure", "Pressure", "hPa", "atmospheric_pressure", null, false, true),
            new Entity(ReadingKind.BME680, "gas_resistance", "gas_resistance", "Gas resistance", "Ω", null, "mdi:omega", false, true),
            new Entity(ReadingKind.BME680, "iaq", "iaq", "Air quality (IAQ estimate)", null, "aqi", null, false, true),
            // a confidence level 0-3, not a measurement to chart
            new Entity(ReadingKind.BME680, "iaq_accuracy", "iaq_accuracy", "IAQ accuracy", null, null, "mdi:target", true, false),
            new Entity(ReadingKind.CPU_TEMPERATURE, "temperature", "cpu_temperature", "CPU temperature", "°C", "temperature", null, true, true),
            new Entity(ReadingKind.SYSTEM_STATS, "cpu_percent", "cpu_percent", "CPU", "%", null, "mdi:cpu-64-bit", true, true),
            new Entity(ReadingKind.SYSTEM_STATS, "memory_percent", "memory_percent", "Memory", "%", null, "mdi:memory", true, true),
            new Entity(ReadingKind.SYSTEM_STATS, "disk_percent", "disk_percent", "Disk", "%", null, "mdi:harddisk", true, true),
            new Entity(ReadingKind.CAMERA_METADATA, "ExposureTime", "exposure_time", "Exposure time", "µs", null, "mdi:camera-timer", true, true),
            new Entity(ReadingKind.CAMERA_METADATA, "AnalogueGain", "analogue_gain", "Analogue gain", null, null, "mdi:brightness-6", true, true),
            new Entity(ReadingKind.CAMERA_METADATA, "Lux", "lux", "Light", "lx", "illuminance", null, false, true),
            new Entity(ReadingKind.CAMERA_METADATA, "ColourTemperature", "colour_temperature", "Colour temperature", "K", null, "mdi:thermometer", true, true),
            // dBFS: relative to the microphone's full scale, not a sound pressure (so no device class)
            new Entity(ReadingKind.AUDIO_LEVEL, "level_db", "audio_level_db", "Sound level", "dBFS", null, "mdi:microphone", false, true));

    private final ObjectMapper json;
    private final String node;
    private final String version;
    private final String pageUrl;
    private final List<BinaryEntity> binaries;
    private final List<String> cameras;
    private final List<String> motionCameras;

    /**
     * @param pageUrl      the hub's page, linked from the device in Home Assistant ("" for none)
     * @param lightsOnLux  lights count as on from this lux level
     * @param lightsOffLux and as off only below this one (between the two the state stays as it was)
     */
    public HomeAssistantDiscovery(ObjectMapper json, String node, String version, String pageUrl, double lightsOnLux, double lightsOffLux) {
        this(json, node, version, pageUrl, lightsOnLux, lightsOffLux, List.of());
    }

    /** @param cameras the node's camera names, each an image entity (none without a page address) */
    public HomeAssistantDiscovery(ObjectMapper json, String node, String version, String pageUrl, double lightsOnLux, double lightsOffLux,
                                  List<String> cameras) {
        this(json, node, version, pageUrl, lightsOnLux, lightsOffLux, cameras, List.of());
    }

    /** @param motionCameras the cameras with motion detection, each a {@code binary_sensor} of device class motion */
    public HomeAssistantDiscovery(ObjectMapper json, String node, String version, String pageUrl, double lightsOnLux, double lightsOffLux,
                                  List<String> cameras, List<String> motionCameras) {
        this.motionCameras = List.copyOf(motionCameras);
        this.cameras = pageUrl.isEmpty() ? List.of() : List.copyOf(cameras);
        this.json = json;
        this.node = node;
        this.version = version;
        this.pageUrl = pageUrl;
        this.binaries = List.of(
                // an empty result leaves the state as it was: that is the hysteresis between the two levels
                new BinaryEntity(ReadingKind.CAMERA_METADATA, "lights_on", "Lights", "light",
                        "{% if value_json.Lux is defined %}{% if value_json.Lux >= " + lightsOnLux + " %}ON{% elif value_json.Lux < "
                                + lightsOffLux + " %}OFF{% endif %}{% endif %}", false),
                // the firmware's flags now: bit 0 under-voltage, bits 1-3 frequency capped, throttled, soft temperature limit
                new BinaryEntity(ReadingKind.CPU_TEMPERATURE, "throttling", "Throttling", "problem",
                        "{% if value_json.throttled is defined %}{{ 'ON' if ((value_json.throttled | int(0)) | bitwise_and(14)) > 0 else 'OFF' }}{% endif %}", true),
                new BinaryEntity(ReadingKind.CPU_TEMPERATURE, "under_voltage", "Under-voltage", "problem",
                        "{% if value_json.throttled is defined %}{{ 'ON' if ((value_json.throttled | int(0)) | bitwise_and(1)) > 0 else 'OFF' }}{% endif %}", true));
    }

    /** Without a page link, lights at the seed's 50 lux (off below 30). */
    public HomeAssistantDiscovery(ObjectMapper json, String node, String version) {
        this(json, node, version, "", 50, 30);
    }

    public static String uniqueId(String node, String metric) {
        return "beeper_" + node.replaceAll("[^A-Za-z0-9_-]", "_") + "_" + metric;
    }

    public static String configTopic(String uniqueId) {
        return configTopic("sensor", uniqueId);
    }

    static String configTopic(String component, String uniqueId) {
        return "homeassistant/" + component + "/" + uniqueId + "/config";
    }

    /** The on/off entities. */
    public List<BinaryEntity> binaryEntities() {
        return binaries;
    }

    /** The retained config messages, topic and payload, for every entity of every kind. */
    public List<DiskQueue.Message> configs(Function<ReadingKind, String> stateTopic, String availabilityTopic) {
        return configs(java.util.EnumSet.allOf(ReadingKind.class), stateTopic, availabilityTopic);
    }

    /** Where the hub keeps the URL of a camera's still for Home Assistant (retained JSON {@code {"url": ...}}). */
    public static String cameraUrlTopic(String prefix, String node, String camera) {
        return prefix + "/" + node + "/ha/camera/" + camera + "/snapshot";
    }

    /** The cameras announced as image entities. */
    public List<String> cameras() {
        return cameras;
    }

    /** The address of a camera's still on the hub, with {@code at} so Home Assistant fetches it anew. */
    public String snapshotUrl(String camera, long at) {
        return pageUrl + (pageUrl.endsWith("/") ? "" : "/") + "api/cameras/" + camera + "/snapshot.jpg?at=" + at;
    }

    /**
     * The retained config messages for the entities of the kinds of reading the node sends, and one
     * image entity per camera.
     *
     * @param cameraUrlTopic where each camera's still URL is kept (by camera name)
     */
    public List<DiskQueue.Message> configs(java.util.Set<ReadingKind> present, Function<ReadingKind, String> stateTopic,
                                           String availabilityTopic, Function<String, String> cameraUrlTopic) {
        return configs(present, stateTopic, availabilityTopic, cameraUrlTopic, camera -> "");
    }

    /**
     * The same with one motion {@code binary_sensor} per camera with motion detection.
     *
     * @param motionStateTopic where each camera's motion state is kept (by camera name)
     */
    public List<DiskQueue.Message> configs(java.util.Set<ReadingKind> present, Function<ReadingKind, String> stateTopic,
                                           String availabilityTopic, Function<String, String> cameraUrlTopic,
                                           Function<String, String> motionStateTopic) {
        List<DiskQueue.Message> out = configs(present, stateTopic, availabilityTopic);
        for (String camera : cameras) {
            String id = uniqueId(node, "camera_" + camera);
            ObjectNode c = entity("Camera " + camera, id, "image", availabilityTopic);
            c.put("url_topic", cameraUrlTopic.apply(camera));
            c.put("url_template", "{{ value_json.url }}");
            c.put("icon", "mdi:cctv");
            out.add(message(configTopic("image", id), c));
        }
        for (String camera : motionCameras) {
            String id = uniqueId(node, "motion_" + camera);
            ObjectNode c = entity("Motion " + camera, id, "binary_sensor", availabilityTopic);
            c.put("state_topic", motionStateTopic.apply(camera));
            c.put("value_template", "{{ value_json.state }}");
            c.put("payload_on", "ON");
            c.put("payload_off", "OFF");
            c.put("device_class", "motion");
            out.add(message(configTopic("binary_sensor", id), c));
        }
        return out;
    }

    /** The retained config messages for the entities of the kinds of reading the node sends. */
    public List<DiskQueue.Message> configs(java.util.Set<ReadingKind> present, Function<ReadingKind, String> stateTopic,
                                           String availabilityTopic) {
        List<DiskQueue.Message> out = new ArrayList<>();
        for (Entity e : ENTITIES) {
            if (!present.contains(e.kind())) {
                continue;
            }
            String id = uniqueId(node, e.metric());
            ObjectNode c = common(e.name(), id, "sensor", stateTopic.apply(e.kind()), availabilityTopic);
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
            if (e.measurement()) {
                c.put("state_class", "measurement");
            }
            if (e.diagnostic()) {
                c.put("entity_category", "diagnostic");
            }
            out.add(message(configTopic("sensor", id), c));
        }
        for (BinaryEntity b : binaries) {
            if (!present.contains(b.kind())) {
                continue;
            }
            String id = uniqueId(node, b.id());
            ObjectNode c = common(b.name(), id, "binary_sensor", stateTopic.apply(b.kind()), availabilityTopic);
            c.put("value_template", b.template());
            c.put("payload_on", "ON");
            c.put("payload_off", "OFF");
            c.put("device_class", b.deviceClass());
            if (b.diagnostic()) {
                c.put("entity_category", "diagnostic");
            }
            out.add(message(configTopic("binary_sensor", id), c));
        }
        return out;
    }

    private ObjectNode common(String name, String id, String component, String stateTopic, String availabilityTopic) {
        ObjectNode c = entity(name, id, component, availabilityTopic);
        c.put("state_topic", stateTopic);
        // a simulated value (demo) says so in Home Assistant too
        c.put("json_attributes_topic", stateTopic);
        c.put("json_attributes_template", "{{ {'simulated': value_json.simulated | default(false)} | tojson }}");
        c.put("expire_after", 600);
        return c;
    }

    /** What every entity of the node has: names, availability, the device and the origin. */
    private ObjectNode entity(String name, String id, String component, String availabilityTopic) {
        ObjectNode c = json.createObjectNode();
        c.put("name", name);
        c.put("unique_id", id);
        c.put("default_entity_id", component + "." + id);
        c.put("availability_topic", availabilityTopic);
        c.put("availability_template", "{{ value_json.state }}");
        c.put("payload_available", "online");
        c.put("payload_not_available", "offline");
        ObjectNode device = c.putObject("device");
        device.putArray("identifiers").add("beeper_" + node);
        device.put("name", "Beeper Keeper " + node);
        device.put("manufacturer", "Beeper Keeper");
        device.put("model", "coop monitor");
        device.put("sw_version", version);
        if (!pageUrl.isEmpty()) {
            device.put("configuration_url", pageUrl);
        }
        ObjectNode origin = c.putObject("origin");
        origin.put("name", "Beeper Keeper");
        origin.put("sw_version", version);
        return c;
    }

    private DiskQueue.Message message(String topic, ObjectNode c) {
        try {
            return new DiskQueue.Message(topic, json.writeValueAsBytes(c), true);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}

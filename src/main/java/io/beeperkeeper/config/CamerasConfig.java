package io.beeperkeeper.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code cameras} section: an open map from a user-chosen camera name (used in URLs, so
 * {@code [a-z0-9-]}) to its {@link CameraConfig}. Empty means "no camera configured": the hub then
 * runs two test cameras, {@code csi} (video only, like the Pi camera) and {@code usb} (with a tone,
 * like the USB webcam), so a fresh install shows both kinds.
 */
public record CamerasConfig(Map<String, CameraConfig> entries) {
    public CamerasConfig {
        Map<String, CameraConfig> checked = new LinkedHashMap<>();
        if (entries != null) {
            for (Map.Entry<String, CameraConfig> e : entries.entrySet()) {
                String name = e.getKey();
                ConfigException.require(name.matches("[a-z0-9][a-z0-9-]{0,31}"), "cameras." + name, name,
                        "a camera name of lower-case letters, digits and '-', up to 32 characters");
                ConfigException.require(e.getValue() != null, "cameras." + name + ".source", null, "test, rpicam, v4l2, rtsp or file");
                checked.put(name, e.getValue().validated(name));
            }
        }
        entries = Collections.unmodifiableMap(checked);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static CamerasConfig of(Map<String, CameraConfig> entries) {
        return new CamerasConfig(entries);
    }

    @JsonValue
    @Override
    public Map<String, CameraConfig> entries() {
        return entries;
    }

    public static CamerasConfig defaults() {
        return new CamerasConfig(Map.of());
    }

    /** The cameras to run: the configured ones, or the two test cameras when none is configured. */
    public Map<String, CameraConfig> effective() {
        if (!entries.isEmpty()) {
            return entries;
        }
        Map<String, CameraConfig> m = new LinkedHashMap<>();
        m.put("csi", CameraConfig.test(false));
        m.put("usb", CameraConfig.test(true));
        return m;
    }
}

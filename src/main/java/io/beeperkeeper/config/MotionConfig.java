package io.beeperkeeper.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Motion detection on every camera: each camera's video is decoded to a small picture ({@code width}x
 * {@code height}) {@code fps} times a second and compared with a slowly adapting background. The values
 * here are every camera's; {@code cameras.<name>} overrides them for one camera and adds its zones and
 * masks.
 *
 * @param enabled       off: no decoding, no events
 * @param fps           pictures a second looked at (1 or 2 is enough for hens; each is a decode's cost)
 * @param width         the width of the picture compared (the height follows as {@code height})
 * @param sensitivity   0 (only big, sharp changes) to 1 (the slightest change); 0.5 by default
 * @param minArea       the fraction of the picture (or of its zones) that must change, 0.01 = 1 %
 * @param minSeconds    motion must last this long before an event starts (a passing shadow is not one)
 * @param endSeconds    an event ends after this long without motion
 * @param night         how a grey infrared night picture is treated: {@link Night}
 * @param retentionDays events older than this are deleted
 */
public record MotionConfig(boolean enabled, int fps, int width, int height, double sensitivity, double minArea,
                           double minSeconds, double endSeconds, Night night, int retentionDays,
                           Map<String, MotionCameraConfig> cameras) {

    /** Night mode, as written in {@code motion.night}. */
    public enum Night {
        /** Night mode while the picture is grey (an infrared camera at night). */
        AUTO("auto"),
        /** Always night mode (a camera that is always infrared). */
        ON("on"),
        /** Never night mode. */
        OFF("off");

        private final String wireName;

        Night(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }

        @JsonCreator
        public static Night fromWire(String text) {
            // YAML 1.1 readers turn a bare on/off into true/false
            String t = "true".equals(text) ? "on" : "false".equals(text) ? "off" : text;
            return WireNames.parse("motion.night", t, values(), Night::wireName);
        }

        @Override
        public String toString() {
            return wireName;
        }
    }

    /**
     * One camera's settings, with the section's values where the camera sets none.
     *
     * @param zones only motion inside them counts (none: the whole picture)
     * @param masks motion inside them is ignored
     */
    public record Settings(boolean enabled, double sensitivity, double minArea, double minSeconds, double endSeconds,
                           Night night, List<MotionZone> zones, List<MotionZone> masks) {
        public Settings {
            zones = List.copyOf(zones);
            masks = List.copyOf(masks);
        }

        /** The same settings with the zones and masks drawn on the page. */
        public Settings withPolygons(List<MotionZone> newZones, List<MotionZone> newMasks) {
            return new Settings(enabled, sensitivity, minArea, minSeconds, endSeconds, night, newZones, newMasks);
        }
    }

    public MotionConfig {
        ConfigException.require(fps >= 1 && fps <= 5, "motion.fps", fps,
                "a whole number of pictures a second from 1 to 5 (2 is plenty; each costs a decode)");
        ConfigException.require(width >= 32 && width <= 640 && width % 2 == 0, "motion.width", width, "an even number of pixels from 32 to 640 (160 is plenty)");
        ConfigException.require(height >= 24 && height <= 480 && height % 2 == 0, "motion.height", height, "an even number of pixels from 24 to 480 (120 is plenty)");
        requireSensitivity("motion.sensitivity", sensitivity);
        requireMinArea("motion.minArea", minArea);
        requireMinSeconds("motion.minSeconds", minSeconds);
        requireEndSeconds("motion.endSeconds", endSeconds);
        ConfigException.require(night != null, "motion.night", null, "auto, on or off");
        ConfigException.require(retentionDays >= 1 && retentionDays <= 3650, "motion.retentionDays", retentionDays, "a whole number of days from 1 to 3650");
        Map<String, MotionCameraConfig> checked = new LinkedHashMap<>();
        if (cameras != null) {
            cameras.forEach((name, c) -> checked.put(name, (c == null ? MotionCameraConfig.none() : c).validated(name)));
        }
        cameras = Collections.unmodifiableMap(checked);
    }

    public static MotionConfig defaults() {
        return new MotionConfig(true, 2, 160, 120, 0.5, 0.01, 1.0, 4.0, Night.AUTO, 30, Map.of());
    }

    /** The camera's settings: its {@code motion.cameras} entry over the section's values. */
    public Settings forCamera(String camera) {
        MotionCameraConfig c = cameras.getOrDefault(camera, MotionCameraConfig.none());
        return new Settings(enabled && (c.enabled() == null || c.enabled()),
                c.sensitivity() == null ? sensitivity : c.sensitivity(),
                c.minArea() == null ? minArea : c.minArea(),
                c.minSeconds() == null ? minSeconds : c.minSeconds(),
                c.endSeconds() == null ? endSeconds : c.endSeconds(),
                c.night() == null ? night : c.night(), c.zones(), c.masks());
    }

    /** The same settings with {@code enabled} set (tests and the launcher switch motion off). */
    public MotionConfig withEnabled(boolean on) {
        return new MotionConfig(on, fps, width, height, sensitivity, minArea, minSeconds, endSeconds, night, retentionDays, cameras);
    }

    static void requireSensitivity(String key, double v) {
        ConfigException.require(v >= 0 && v <= 1, key, v, "a number from 0 (only big, sharp changes) to 1 (the slightest change)");
    }

    static void requireMinArea(String key, double v) {
        ConfigException.require(v > 0 && v <= 1, key, v, "a fraction of the picture above 0 and up to 1 (0.01 = 1 %)");
    }

    static void requireMinSeconds(String key, double v) {
        ConfigException.require(v >= 0 && v <= 60, key, v, "a number of seconds from 0 to 60");
    }

    static void requireEndSeconds(String key, double v) {
        ConfigException.require(v >= 0.5 && v <= 600, key, v, "a number of seconds from 0.5 to 600");
    }
}

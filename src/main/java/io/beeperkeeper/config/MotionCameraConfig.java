package io.beeperkeeper.config;

import java.util.ArrayList;
import java.util.List;

/**
 * One camera's entry under {@code motion.cameras}: whatever it sets overrides the {@code motion}
 * section's value for that camera (an unset value is null and takes the section's), plus the camera's
 * zones and masks. Zones drawn on the page are kept in the data folder and take the place of these.
 */
public record MotionCameraConfig(Boolean enabled, Double sensitivity, Double minArea, Double minSeconds, Double endSeconds,
                                 MotionConfig.Night night, List<MotionZone> zones, List<MotionZone> masks) {
    public MotionCameraConfig {
        zones = zones == null ? List.of() : List.copyOf(zones);
        masks = masks == null ? List.of() : List.copyOf(masks);
    }

    public static MotionCameraConfig none() {
        return new MotionCameraConfig(null, null, null, null, null, null, List.of(), List.of());
    }

    MotionCameraConfig validated(String camera) {
        String key = "motion.cameras." + camera;
        if (sensitivity != null) {
            MotionConfig.requireSensitivity(key + ".sensitivity", sensitivity);
        }
        if (minArea != null) {
            MotionConfig.requireMinArea(key + ".minArea", minArea);
        }
        if (minSeconds != null) {
            MotionConfig.requireMinSeconds(key + ".minSeconds", minSeconds);
        }
        if (endSeconds != null) {
            MotionConfig.requireEndSeconds(key + ".endSeconds", endSeconds);
        }
        return new MotionCameraConfig(enabled, sensitivity, minArea, minSeconds, endSeconds, night,
                polygons(key + ".zones", zones, "zone"), polygons(key + ".masks", masks, "mask"));
    }

    /**
     * The camera's settings with zones and masks drawn on the page, checked as the config checks them.
     *
     * @throws ConfigException naming the bad polygon ({@code motion.cameras.<name>.zones[i]})
     */
    public static MotionConfig.Settings checked(String camera, List<MotionZone> zones, List<MotionZone> masks, MotionConfig.Settings base) {
        String key = "motion.cameras." + camera;
        return base.withPolygons(polygons(key + ".zones", zones == null ? List.of() : zones, "zone"),
                polygons(key + ".masks", masks == null ? List.of() : masks, "mask"));
    }

    static List<MotionZone> polygons(String key, List<MotionZone> list, String word) {
        ConfigException.require(list.size() <= 16, key, list.size() + " polygons", "at most 16 polygons");
        List<MotionZone> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            ConfigException.require(list.get(i) != null, key + "[" + i + "]", null, "a polygon {name, points: [[x, y], ...]}");
            out.add(list.get(i).validated(key + "[" + i + "]", word + " " + (i + 1)));
        }
        return List.copyOf(out);
    }
}

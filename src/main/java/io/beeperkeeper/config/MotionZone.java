package io.beeperkeeper.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A polygon on a camera's picture, in fractions of its width and height (0..1, from the top left), so
 * it stays right whatever size the camera is encoded at. As a zone, only motion inside it counts; as a
 * mask, motion inside it is ignored (a clock, a road, the test pattern's moving parts).
 *
 * @param name   shown with the event ("nest", "door")
 * @param points at least three {@code [x, y]} corners in order
 */
public record MotionZone(String name, List<List<Double>> points) {
    public MotionZone {
        name = name == null ? "" : name.trim();
        List<List<Double>> copy = new ArrayList<>();
        if (points != null) {
            for (List<Double> p : points) {
                copy.add(p == null ? List.of() : List.copyOf(p));
            }
        }
        points = List.copyOf(copy);
    }

    /** Refuses a polygon that is not one, naming {@code key} (e.g. {@code motion.cameras.coop.zones[0]}). */
    MotionZone validated(String key, String fallbackName) {
        ConfigException.require(points.size() >= 3 && points.size() <= 64, key + ".points", points,
                "3 to 64 corners, each [x, y] with x and y from 0 to 1 (fractions of the picture's width and height)");
        for (List<Double> p : points) {
            ConfigException.require(p.size() == 2 && p.get(0) != null && p.get(1) != null
                            && p.get(0) >= 0 && p.get(0) <= 1 && p.get(1) >= 0 && p.get(1) <= 1, key + ".points", p,
                    "[x, y] with x and y from 0 to 1 (fractions of the picture's width and height)");
        }
        ConfigException.require(name.length() <= 40, key + ".name", name, "a name of up to 40 characters");
        return name.isEmpty() ? new MotionZone(fallbackName, points) : this;
    }

    /** Whether the point (fractions of the picture) is inside, by the even-odd rule. */
    public boolean contains(double x, double y) {
        boolean in = false;
        for (int i = 0, j = points.size() - 1; i < points.size(); j = i++) {
            double xi = points.get(i).get(0), yi = points.get(i).get(1);
            double xj = points.get(j).get(0), yj = points.get(j).get(1);
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) {
                in = !in;
            }
        }
        return in;
    }
}

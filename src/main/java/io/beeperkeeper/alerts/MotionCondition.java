package io.beeperkeeper.alerts;

import io.beeperkeeper.metric.MetricSample;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.TreeMap;

/**
 * Motion on a camera, optionally only within a span of the day ("motion in the coop between 22:00 and
 * 05:00": a fox, or a hen off the perch). The motion feature reports each event's start and end as a
 * {@value #METRIC} sample (1 or 0) whose text is the camera's name. Motion outside the span does not
 * breach, so an event that runs past the span's end clears the alert then.
 */
final class MotionCondition implements Condition {
    public static final String METRIC = "motion";

    private final String camera;
    private final LocalTime[] hours;
    private final ZoneId zone;
    private final Map<String, Boolean> moving = new TreeMap<>();

    /**
     * @param camera the camera to watch, "" for any
     * @param hours  start and end of the span (the end may be after midnight), null for all day
     */
    MotionCondition(String camera, LocalTime[] hours, ZoneId zone) {
        this.camera = camera;
        this.hours = hours == null ? null : hours.clone();
        this.zone = zone;
    }

    @Override
    public void onSample(MetricSample s, boolean simulated) {
        if (s.metric().equals(METRIC) && s.text() != null && (camera.isEmpty() || camera.equals(s.text()))) {
            moving.put(s.text(), s.value() >= 0.5);
        }
    }

    @Override
    public Verdict evaluate(Instant now, boolean active) {
        String on = moving.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey)
                .reduce((a, b) -> a + ", " + b).orElse("");
        if (on.isEmpty()) {
            return Verdict.clear(0, "no motion");
        }
        if (!within(now)) {
            return Verdict.clear(0, "motion on " + on + " outside " + hours[0] + "-" + hours[1]);
        }
        return Verdict.breached(1, "motion on " + on);
    }

    private boolean within(Instant now) {
        if (hours == null) {
            return true;
        }
        LocalTime t = now.atZone(zone).toLocalTime();
        return hours[0].isBefore(hours[1])
                ? !t.isBefore(hours[0]) && t.isBefore(hours[1])
                : !t.isBefore(hours[0]) || t.isBefore(hours[1]);
    }

    @Override
    public String metric() {
        return METRIC;
    }
}

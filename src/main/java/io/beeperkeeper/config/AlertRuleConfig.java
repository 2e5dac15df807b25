package io.beeperkeeper.config;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Set;

/**
 * One rule of the keeper's own under {@code alerts.rules.<id>} in beeper.yaml. Which keys it needs
 * depends on its {@code kind}; {@link #validated(String)} checks them and names the offending key
 * ({@code alerts.rules.coop-hot.above}) with the fix.
 *
 * <ul>
 *   <li>{@code threshold}: {@code metric}, {@code above} or {@code below}, optional {@code clear}
 *       (the level at which it clears: hysteresis) and {@code forMinutes};</li>
 *   <li>{@code rate}: {@code metric}, {@code change} (e.g. 5 or -3) within {@code withinMinutes};</li>
 *   <li>{@code missing}: no {@code metric} sample for {@code minutes} (a sensor offline);</li>
 *   <li>{@code camera}: camera {@code component} (or any camera when empty) offline {@code minutes};</li>
 *   <li>{@code node}: remote node {@code component} offline {@code minutes};</li>
 *   <li>{@code throttled}: throttling or the soft temperature limit active {@code minutes};</li>
 *   <li>{@code disk}: disk use {@code above} a percentage for {@code forMinutes};</li>
 *   <li>{@code store}: the history store degraded or down for {@code minutes}.</li>
 *   <li>{@code motion}: motion on camera {@code component} (or any camera when empty), only within
 *       {@code hours} ("22:00-05:00", in alerts.timeZone) when set, held {@code forMinutes}.</li>
 * </ul>
 * {@code severity} is info, warning or critical (critical ignores quiet hours); {@code node} limits a
 * metric rule to one node's samples.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertRuleConfig(String kind, String title, String severity, Boolean enabled, String metric, String node,
                              Double above, Double below, Double clear, Double forMinutes, Double change,
                              Double withinMinutes, Double minutes, String component, String hours) {
    public static final Set<String> KINDS = Set.of("threshold", "rate", "missing", "camera", "node", "throttled", "disk", "store", "motion");
    public static final Set<String> SEVERITIES = Set.of("info", "warning", "critical");

    /** A copy with defaults filled in, or a {@link ConfigException} naming the key and the fix. */
    public AlertRuleConfig validated(String id) {
        String k = "alerts.rules." + id + ".";
        ConfigException.require(kind != null && KINDS.contains(kind), k + "kind", kind,
                "threshold, rate, missing, camera, node, throttled, disk, store or motion");
        String sev = severity == null ? "warning" : severity;
        ConfigException.require(SEVERITIES.contains(sev), k + "severity", sev, "info, warning or critical (critical ignores quiet hours)");
        String t = title == null || title.isBlank() ? id : title.trim();
        ConfigException.require(t.length() <= 120, k + "title", t, "a title of at most 120 characters");
        boolean on = enabled == null || enabled;
        String n = node == null ? "" : node.trim();
        String c = component == null ? "" : component.trim();
        double fm = forMinutes == null ? 0 : forMinutes;
        ConfigException.require(fm >= 0 && fm <= 10_080, k + "forMinutes", fm, "minutes from 0 to 10080 (a week) the condition must hold before the alert fires");
        Double min = minutes;
        Double clr = clear;
        Double ab = above;
        Double be = below;
        Double ch = change;
        Double wm = withinMinutes;
        String m = metric;
        switch (kind) {
            case "threshold" -> {
                ConfigException.require(m != null && m.matches("[A-Za-z0-9_.-]{1,64}"), k + "metric", m,
                        "the metric to watch, such as temperature, humidity, thi, iaq, lux (see /api/history/metrics)");
                ConfigException.require((ab == null) != (be == null), k + (ab == null ? "above" : "below"), ab == null ? null : ab,
                        "exactly one of above: or below: (the level that fires the alert)");
                double level = ab != null ? ab : be;
                ConfigException.require(Double.isFinite(level), k + (ab != null ? "above" : "below"), level, "a finite number");
                if (clr == null) {
                    clr = level;
                }
                ConfigException.require(ab == null || clr <= ab, k + "clear", clr,
                        "a level at or below above: (" + ab + "): the alert clears when the value falls below it");
                ConfigException.require(be == null || clr >= be, k + "clear", clr,
                        "a level at or above below: (" + be + "): the alert clears when the value rises above it");
            }
            case "rate" -> {
                ConfigException.require(m != null && m.matches("[A-Za-z0-9_.-]{1,64}"), k + "metric", m, "the metric to watch, such as thi or temperature");
                ConfigException.require(ch != null && ch != 0 && Double.isFinite(ch), k + "change", ch,
                        "a rise (such as 5) or a fall (such as -3) that fires the alert");
                ConfigException.require(wm != null && wm > 0 && wm <= 1440, k + "withinMinutes", wm, "minutes from above 0 to 1440 in which the change happens");
            }
            case "missing" -> {
                ConfigException.require(m != null && m.matches("[A-Za-z0-9_.-]{1,64}"), k + "metric", m, "the metric whose samples must keep coming, such as temperature");
                ConfigException.require(min != null && min > 0 && min <= 10_080, k + "minutes", min, "minutes without a sample, above 0 up to 10080");
            }
            case "camera", "node", "throttled", "store" -> {
                if (min == null) {
                    min = 5.0;
                }
                ConfigException.require(min >= 0 && min <= 10_080, k + "minutes", min, "minutes from 0 to 10080");
                ConfigException.require(!kind.equals("node") || c.matches("[A-Za-z0-9_-]{1,64}"), k + "component", c, "the node's name");
                ConfigException.require(c.isEmpty() || c.matches("[A-Za-z0-9_-]{1,64}"), k + "component", c, "a camera or node name");
            }
            case "disk" -> {
                ConfigException.require(ab != null && ab > 0 && ab < 100, k + "above", ab, "a disk use in percent, above 0 and below 100, such as 90");
                clr = clr == null ? ab - 2 : clr;
                ConfigException.require(clr <= ab, k + "clear", clr, "a percentage at or below above: (" + ab + ")");
            }
            case "motion" -> {
                ConfigException.require(c.isEmpty() || c.matches("[A-Za-z0-9_-]{1,64}"), k + "component", c, "a camera name, or none for any camera");
                String h = hours == null ? "" : hours.trim();
                ConfigException.require(h.isEmpty() || AlertsConfig.hours(h) != null, k + "hours", h,
                        "a span of the day such as 22:00-05:00 (in alerts.timeZone), or none for all day");
                return new AlertRuleConfig(kind, t, sev, on, m, n, ab, be, clr, fm, ch, wm, min, c, h);
            }
            default -> throw new ConfigException(k + "kind", kind, "threshold, rate, missing, camera, node, throttled, disk, store or motion");
        }
        return new AlertRuleConfig(kind, t, sev, on, m, n, ab, be, clr, fm, ch, wm, min, c, "");
    }
}

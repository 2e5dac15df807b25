package io.beeperkeeper.alerts;

import io.beeperkeeper.config.AlertRuleConfig;
import io.beeperkeeper.config.AlertsConfig;
import io.beeperkeeper.health.ComponentHealth;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The rules of a hub: the husbandry defaults for laying hens (heat stress, cold, day length,
 * darkness, air, a sensor or camera offline), the hub's own health (throttling, disk, store), each on
 * unless switched off in its section, then the keeper's own {@code alerts.rules}. The sources of the
 * figures are in docs/alerts.md.
 */
final class HusbandryRules {
    private static final Set<ComponentHealth.Status> OFFLINE = Set.of(ComponentHealth.Status.DOWN);
    private static final Set<ComponentHealth.Status> DEGRADED = Set.of(ComponentHealth.Status.DEGRADED, ComponentHealth.Status.DOWN);

    private HusbandryRules() {
    }

    /**
     * @param health    the hub's health entries (cameras, store, nodes)
     * @param lights    the store's lights-on periods and light hours
     * @param lightZone the zone whose midnight ends a day of light (history.timeZone)
     */
    public static List<Rule> build(AlertsConfig c, Supplier<Map<String, ComponentHealth>> health, LightHistory lights,
                                   ZoneId lightZone) {
        List<Rule> out = new ArrayList<>();
        AlertsConfig.HeatStress h = c.heatStress();
        if (h.enabled()) {
            out.add(new Rule("heat-stress", "Heat stress (THI)", Severity.WARNING, minutes(h.forMinutes()),
                    new ThresholdCondition(Thi.METRIC, "", true, List.of(
                            new ThresholdCondition.Level(h.alertThi(), true, Severity.WARNING, "alert from THI"),
                            new ThresholdCondition.Level(h.dangerThi(), false, Severity.CRITICAL, "danger above THI"),
                            new ThresholdCondition.Level(h.emergencyThi(), true, Severity.CRITICAL, "emergency from THI")),
                            h.alertThi() - 1, ""), "",
                    "THI = 0.8 T + RH/100 (T - 14.4) + 46.4; Hy-Line 'Managing Heat Stress' (comfort < 70, alert 70-75, danger above), OMAFRA (28 °C, 90 % = 81, emergency)"));
        }
        AlertsConfig.Cold cold = c.cold();
        if (cold.enabled()) {
            out.add(new Rule("cold", "Frostbite risk", Severity.WARNING, minutes(cold.forMinutes()),
                    new ColdCondition(cold.belowCelsius(), cold.humidityAbove()), " °C",
                    "below " + ThresholdCondition.fmt(cold.belowCelsius()) + " °C with humidity above "
                            + ThresholdCondition.fmt(cold.humidityAbove()) + " %: damp cold frostbites combs and wattles"));
        }
        if (c.dayLength().enabled()) {
            out.add(new Rule("day-length", "Day too short for laying", Severity.INFO, Duration.ZERO,
                    new DayLengthCondition(lights, c.dayLength().minHours(), lightZone), " h",
                    "laying hens need about 14-16 h of light a day"));
        }
        if (c.darkness().enabled()) {
            out.add(new Rule("darkness", "No night: lights left on", Severity.WARNING, Duration.ZERO,
                    new DarknessCondition(lights, c.darkness().minHours()), " h",
                    "hens need an unbroken dark period (about 8 h) to rest"));
        }
        AlertsConfig.Air air = c.air();
        if (air.enabled()) {
            out.add(new Rule("air", "Stale air (IAQ)", Severity.WARNING, minutes(air.forMinutes()),
                    ThresholdCondition.simple("iaq", "", true, air.iaqAbove(), air.clearBelow(), ""), "",
                    "Bosch IAQ above 200 is worse than 'Moderately polluted'; the BME680 does not measure ammonia"));
        }
        AlertsConfig.Offline off = c.offline();
        if (off.enabled()) {
            out.add(new Rule("sensor-offline", "Sensor offline", Severity.WARNING, Duration.ZERO,
                    new MissingDataCondition(off.sensorMetric(), "", minutes(off.sensorMinutes())), " min",
                    "no " + off.sensorMetric() + " reading for " + ThresholdCondition.fmt(off.sensorMinutes()) + " min"));
            out.add(new Rule("camera-offline", "Camera offline", Severity.WARNING, minutes(off.cameraMinutes()),
                    new HealthCondition(health, n -> n.startsWith("camera."), OFFLINE, "camera"), "",
                    "a camera down for " + ThresholdCondition.fmt(off.cameraMinutes()) + " min"));
            // the telemetry's node.<name> entries go down after mqtt.nodeOfflineMinutes of silence
            out.add(new Rule("node-offline", "Node offline", Severity.WARNING, Duration.ZERO,
                    new HealthCondition(health, n -> n.startsWith("node."), OFFLINE, "node"), "",
                    "a node of mqtt.acceptNodes that has sent nothing for mqtt.nodeOfflineMinutes"));
        }
        AlertsConfig.SystemChecks sys = c.system();
        if (sys.throttlingMinutes() > 0) {
            out.add(new Rule("throttling", "Pi throttled", Severity.WARNING, minutes(sys.throttlingMinutes()),
                    new ThrottleCondition(), "", "under-voltage, frequency capping, throttling or the soft temperature limit active"));
        }
        if (sys.diskPercent() > 0) {
            out.add(new Rule("disk", "Disk nearly full", Severity.WARNING, Duration.ofMinutes(5),
                    ThresholdCondition.simple("disk_percent", "", true, sys.diskPercent(), sys.diskPercent() - 2, " %"), " %",
                    "disk use above " + ThresholdCondition.fmt(sys.diskPercent()) + " %"));
        }
        if (sys.storeMinutes() > 0) {
            out.add(new Rule("store", "History store degraded", Severity.WARNING, minutes(sys.storeMinutes()),
                    new HealthCondition(health, "store"::equals, DEGRADED, "store"), "", "the history store cannot write"));
        }
        for (Map.Entry<String, AlertRuleConfig> e : c.rules().entrySet()) {
            if (Boolean.TRUE.equals(e.getValue().enabled())) {
                out.add(custom(e.getKey(), e.getValue(), health, c.zone()));
            }
        }
        return out;
    }

    private static Rule custom(String id, AlertRuleConfig r, Supplier<Map<String, ComponentHealth>> health, ZoneId zone) {
        Severity sev = Severity.of(r.severity());
        Duration hold = minutes(r.forMinutes());
        String comp = r.component();
        return switch (r.kind()) {
            case "threshold" -> {
                boolean above = r.above() != null;
                double level = above ? r.above() : r.below();
                yield new Rule(id, r.title(), sev, hold,
                        ThresholdCondition.simple(r.metric(), r.node(), above, level, r.clear(), ""), "",
                        r.metric() + (above ? " above " : " below ") + ThresholdCondition.fmt(level)
                                + (r.clear() == level ? "" : ", clears at " + ThresholdCondition.fmt(r.clear())));
            }
            case "rate" -> new Rule(id, r.title(), sev, hold,
                    new RateCondition(r.metric(), r.node(), r.change(), minutes(r.withinMinutes()), ""), "",
                    r.metric() + (r.change() > 0 ? " up " : " down ") + ThresholdCondition.fmt(Math.abs(r.change()))
                            + " in " + ThresholdCondition.fmt(r.withinMinutes()) + " min");
            case "missing" -> new Rule(id, r.title(), sev, hold,
                    new MissingDataCondition(r.metric(), r.node(), minutes(r.minutes())), " min",
                    "no " + r.metric() + " reading for " + ThresholdCondition.fmt(r.minutes()) + " min");
            case "camera" -> new Rule(id, r.title(), sev, minutes(r.minutes()),
                    new HealthCondition(health, comp.isEmpty() ? n -> n.startsWith("camera.") : ("camera." + comp)::equals,
                            OFFLINE, "camera"), "", (comp.isEmpty() ? "a camera" : "camera " + comp) + " offline");
            case "node" -> new Rule(id, r.title(), sev, minutes(r.minutes()),
                    new HealthCondition(health, ("node." + comp)::equals, OFFLINE, "node " + comp), "", "node " + comp + " offline");
            case "throttled" -> new Rule(id, r.title(), sev, minutes(r.minutes()), new ThrottleCondition(), "", "throttling active");
            case "disk" -> new Rule(id, r.title(), sev, hold,
                    ThresholdCondition.simple("disk_percent", r.node(), true, r.above(), r.clear(), " %"), " %",
                    "disk use above " + ThresholdCondition.fmt(r.above()) + " %");
            case "store" -> new Rule(id, r.title(), sev, minutes(r.minutes()),
                    new HealthCondition(health, "store"::equals, DEGRADED, "store"), "", "history store degraded");
            case "motion" -> new Rule(id, r.title(), sev, hold,
                    new MotionCondition(comp, r.hours().isEmpty() ? null : AlertsConfig.hours(r.hours()), zone), "",
                    "motion " + (comp.isEmpty() ? "on a camera" : "on " + comp) + (r.hours().isEmpty() ? "" : " between " + r.hours().replace("-", " and ")));
            default -> throw new IllegalArgumentException("unknown rule kind " + r.kind());
        };
    }

    static Duration minutes(double m) {
        return Duration.ofMillis(Math.round(m * 60_000));
    }
}

package io.beeperkeeper.config;

import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code alerts} section: the husbandry rules that are on out of the box (each a section that can
 * be switched off or retuned), the keeper's own {@code rules}, when to repeat and when to keep quiet,
 * and the delivery channels. Secrets (webhook secret, ntfy token, SMTP password) may come from the
 * environment ({@code BEEPER_ALERTS_EMAIL_PASSWORD}, ...) and are never shown by the hub.
 *
 * @param enabled         false: no rule is evaluated, nothing is sent
 * @param renotifyMinutes a firing alert nobody acknowledged is sent again this often; 0 = once
 * @param quietHours      "22:00-07:00": warnings and info wait until it ends (critical alerts never wait); "" = none
 * @param timeZone        the zone of the quiet hours and of a day's light; "" = the system's
 */
public record AlertsConfig(boolean enabled, int renotifyMinutes, String quietHours, String timeZone,
                           HeatStress heatStress, Cold cold, DayLength dayLength, Darkness darkness, Air air,
                           Offline offline, SystemChecks system, Map<String, AlertRuleConfig> rules,
                           Webhook webhook, Ntfy ntfy, Mqtt mqtt, Email email) {

    public AlertsConfig {
        ConfigException.require(renotifyMinutes >= 0 && renotifyMinutes <= 10_080, "alerts.renotifyMinutes", renotifyMinutes,
                "minutes from 0 (send once) to 10080 between reminders of an unacknowledged alert");
        quietHours = quietHours == null ? "" : quietHours.trim();
        ConfigException.require(quietHours.isEmpty() || hours(quietHours) != null, "alerts.quietHours", quietHours,
                "HH:MM-HH:MM such as 22:00-07:00, or \"\" for none");
        timeZone = timeZone == null ? "" : timeZone.trim();
        ConfigException.require(timeZone.isEmpty() || validZone(timeZone), "alerts.timeZone", timeZone,
                "a zone id such as Europe/Berlin or UTC, or \"\" for the system's zone");
        heatStress = heatStress == null ? HeatStress.defaults() : heatStress;
        cold = cold == null ? Cold.defaults() : cold;
        dayLength = dayLength == null ? DayLength.defaults() : dayLength;
        darkness = darkness == null ? Darkness.defaults() : darkness;
        air = air == null ? Air.defaults() : air;
        offline = offline == null ? Offline.defaults() : offline;
        system = system == null ? SystemChecks.defaults() : system;
        webhook = webhook == null ? Webhook.defaults() : webhook;
        ntfy = ntfy == null ? Ntfy.defaults() : ntfy;
        mqtt = mqtt == null ? Mqtt.defaults() : mqtt;
        email = email == null ? Email.defaults() : email;
        Map<String, AlertRuleConfig> checked = new LinkedHashMap<>();
        if (rules != null) {
            for (Map.Entry<String, AlertRuleConfig> e : rules.entrySet()) {
                String id = e.getKey();
                ConfigException.require(id.matches("[a-z0-9][a-z0-9-]{0,47}"), "alerts.rules." + id, id,
                        "a rule id of lower-case letters, digits and '-', up to 48 characters");
                ConfigException.require(!BUILT_IN_IDS.contains(id), "alerts.rules." + id, id,
                        "an id that is not one of the built-in rules (" + String.join(", ", BUILT_IN_IDS)
                                + "); retune those in their own sections instead");
                ConfigException.require(e.getValue() != null, "alerts.rules." + id + ".kind", null,
                        "threshold, rate, missing, camera, node, throttled, disk or store");
                checked.put(id, e.getValue().validated(id));
            }
        }
        rules = Collections.unmodifiableMap(checked);
    }

    /** Ids of the husbandry and system rules the hub brings. */
    public static final java.util.List<String> BUILT_IN_IDS = java.util.List.of("heat-stress", "cold", "day-length",
            "darkness", "air", "sensor-offline", "camera-offline", "node-offline", "throttling", "disk", "store");

    public static AlertsConfig defaults() {
        return new AlertsConfig(true, 60, "", "", HeatStress.defaults(), Cold.defaults(), DayLength.defaults(),
                Darkness.defaults(), Air.defaults(), Offline.defaults(), SystemChecks.defaults(), Map.of(),
                Webhook.defaults(), Ntfy.defaults(), Mqtt.defaults(), Email.defaults());
    }

    public ZoneId zone() {
        return timeZone.isEmpty() ? ZoneId.systemDefault() : ZoneId.of(timeZone);
    }

    /** Start and end of the quiet hours, or null for none. */
    public LocalTime[] quiet() {
        return quietHours.isEmpty() ? null : hours(quietHours);
    }

    /** "22:00-05:00" as its start and end (the end may be after midnight), or null when it is not such a span. */
    public static LocalTime[] hours(String s) {
        String[] p = s.split("-");
        if (p.length != 2) {
            return null;
        }
        try {
            LocalTime a = LocalTime.parse(p[0].trim());
            LocalTime b = LocalTime.parse(p[1].trim());
            return a.equals(b) ? null : new LocalTime[]{a, b};
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static boolean validZone(String id) {
        try {
            ZoneId.of(id);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    /**
     * Heat stress from the temperature-humidity index (THI) of laying hens: alert from {@code alertThi},
     * danger above {@code dangerThi}, emergency from {@code emergencyThi}, each held {@code forMinutes}.
     */
    public record HeatStress(boolean enabled, double alertThi, double dangerThi, double emergencyThi, double forMinutes) {
        public HeatStress {
            ConfigException.require(alertThi >= 50 && alertThi <= 100, "alerts.heatStress.alertThi", alertThi, "a THI from 50 to 100 (Hy-Line: 70)");
            ConfigException.require(dangerThi >= alertThi && dangerThi <= 100, "alerts.heatStress.dangerThi", dangerThi,
                    "a THI from alertThi (" + alertThi + ") to 100 (Hy-Line: above 75)");
            ConfigException.require(emergencyThi >= dangerThi && emergencyThi <= 110, "alerts.heatStress.emergencyThi", emergencyThi,
                    "a THI from dangerThi (" + dangerThi + ") to 110 (OMAFRA: 81)");
            ConfigException.require(forMinutes >= 0 && forMinutes <= 240, "alerts.heatStress.forMinutes", forMinutes, "minutes from 0 to 240");
        }

        public static HeatStress defaults() {
            return new HeatStress(true, 70, 75, 81, 10);
        }
    }

    /** Frostbite risk to combs and wattles: below {@code belowCelsius} with humidity above {@code humidityAbove}. */
    public record Cold(boolean enabled, double belowCelsius, double humidityAbove, double forMinutes) {
        public Cold {
            ConfigException.require(belowCelsius >= -40 && belowCelsius <= 15, "alerts.cold.belowCelsius", belowCelsius, "°C from -40 to 15 (default 0)");
            ConfigException.require(humidityAbove >= 0 && humidityAbove < 100, "alerts.cold.humidityAbove", humidityAbove, "% RH from 0 to 99 (default 80)");
            ConfigException.require(forMinutes >= 0 && forMinutes <= 1440, "alerts.cold.forMinutes", forMinutes, "minutes from 0 to 1440");
        }

        public static Cold defaults() {
            return new Cold(true, 0, 80, 30);
        }
    }

    /** Laying hens need 14-16 h of light: alert when yesterday's lit hours (from lux) were below {@code minHours}. */
    public record DayLength(boolean enabled, double minHours) {
        public DayLength {
            ConfigException.require(minHours > 0 && minHours <= 24, "alerts.dayLength.minHours", minHours, "hours above 0 up to 24 (default 14)");
        }

        public static DayLength defaults() {
            return new DayLength(true, 14);
        }
    }

    /** Lights left on at night: no dark stretch of at least {@code minHours} in the last day. */
    public record Darkness(boolean enabled, double minHours) {
        public Darkness {
            ConfigException.require(minHours > 0 && minHours < 24, "alerts.darkness.minHours", minHours, "hours above 0 and below 24 (default 8)");
        }

        public static Darkness defaults() {
            return new Darkness(true, 8);
        }
    }

    /** Air: IAQ worse than "Moderately polluted" (above 200) for {@code forMinutes}; clears below {@code clearBelow}. */
    public record Air(boolean enabled, double iaqAbove, double clearBelow, double forMinutes) {
        public Air {
            ConfigException.require(iaqAbove > 0 && iaqAbove <= 500, "alerts.air.iaqAbove", iaqAbove, "an IAQ index above 0 up to 500 (default 200)");
            ConfigException.require(clearBelow >= 0 && clearBelow <= iaqAbove, "alerts.air.clearBelow", clearBelow,
                    "an IAQ index from 0 up to iaqAbove (" + iaqAbove + ")");
            ConfigException.require(forMinutes >= 0 && forMinutes <= 1440, "alerts.air.forMinutes", forMinutes, "minutes from 0 to 1440");
        }

        public static Air defaults() {
            return new Air(true, 200, 175, 30);
        }
    }

    /**
     * A sensor (no {@code sensorMetric} sample for {@code sensorMinutes}) or a camera offline for
     * {@code cameraMinutes}; a node of {@code mqtt.acceptNodes} silent for {@code mqtt.nodeOfflineMinutes}.
     */
    public record Offline(boolean enabled, String sensorMetric, double sensorMinutes, double cameraMinutes) {
        public Offline {
            sensorMetric = sensorMetric == null ? "" : sensorMetric.trim();
            ConfigException.require(sensorMetric.matches("[A-Za-z0-9_.-]{1,64}"), "alerts.offline.sensorMetric", sensorMetric,
                    "the metric whose samples show the sensor is alive (default temperature)");
            ConfigException.require(sensorMinutes > 0 && sensorMinutes <= 1440, "alerts.offline.sensorMinutes", sensorMinutes, "minutes above 0 up to 1440");
            ConfigException.require(cameraMinutes >= 0 && cameraMinutes <= 1440, "alerts.offline.cameraMinutes", cameraMinutes, "minutes from 0 to 1440");
        }

        public static Offline defaults() {
            return new Offline(true, "temperature", 5, 5);
        }
    }

    /**
     * The hub's own health: throttling or the soft temperature limit for {@code throttlingMinutes}
     * (0 = off), the disk above {@code diskPercent} (0 = off), the store degraded for
     * {@code storeMinutes} (0 = off).
     */
    public record SystemChecks(double throttlingMinutes, double diskPercent, double storeMinutes) {
        public SystemChecks {
            ConfigException.require(throttlingMinutes >= 0 && throttlingMinutes <= 1440, "alerts.system.throttlingMinutes", throttlingMinutes, "minutes from 0 (off) to 1440");
            ConfigException.require(diskPercent >= 0 && diskPercent < 100, "alerts.system.diskPercent", diskPercent, "a percentage from 0 (off) to 99");
            ConfigException.require(storeMinutes >= 0 && storeMinutes <= 1440, "alerts.system.storeMinutes", storeMinutes, "minutes from 0 (off) to 1440");
        }

        public static SystemChecks defaults() {
            return new SystemChecks(10, 90, 5);
        }
    }

    /** A JSON POST to {@code url} for each notification, signed with HMAC-SHA256 when {@code secret} is set. */
    public record Webhook(String url, String secret) {
        public Webhook {
            url = url == null ? "" : url.trim();
            secret = secret == null ? "" : secret;
            ConfigException.require(url.isEmpty() || url.matches("https?://[^\\s]+"), "alerts.webhook.url", url,
                    "an http:// or https:// URL, or \"\" for no webhook");
        }

        public static Webhook defaults() {
            return new Webhook("", "");
        }
    }

    /** ntfy push: POST to {@code url}/{@code topic}; {@code token} for a protected topic. Empty topic: off. */
    public record Ntfy(String url, String topic, String token) {
        public Ntfy {
            url = url == null ? "" : url.trim();
            topic = topic == null ? "" : topic.trim();
            token = token == null ? "" : token;
            ConfigException.require(url.matches("https?://[^\\s/]+(/[^\\s]*)?"), "alerts.ntfy.url", url,
                    "the ntfy server, such as https://ntfy.sh or your own http://ntfy.lan");
            ConfigException.require(topic.isEmpty() || topic.matches("[A-Za-z0-9_-]{1,64}"), "alerts.ntfy.topic", topic,
                    "a topic of letters, digits, '-' and '_' (hard to guess on a public server), or \"\" for off");
        }

        public static Ntfy defaults() {
            return new Ntfy("https://ntfy.sh", "", "");
        }
    }

    /**
     * Alerts on the hub's MQTT broker: the retained state of each rule on {@code <prefix>/alerts/<id>},
     * and a Home Assistant binary_sensor (device class problem) per rule when {@code homeAssistant}.
     */
    public record Mqtt(boolean enabled, boolean homeAssistant) {
        public static Mqtt defaults() {
            return new Mqtt(true, true);
        }
    }

    /** E-mail over SMTP (STARTTLS when {@code startTls}); empty {@code host} or {@code to}: off. */
    public record Email(String host, int port, boolean startTls, String username, String password, String from, String to) {
        public Email {
            host = host == null ? "" : host.trim();
            username = username == null ? "" : username;
            password = password == null ? "" : password;
            from = from == null ? "" : from.trim();
            to = to == null ? "" : to.trim();
            ConfigException.require(port >= 1 && port <= 65535, "alerts.email.port", port, "the SMTP port, 1-65535 (587 for STARTTLS)");
            ConfigException.require(host.isEmpty() || host.matches("[A-Za-z0-9.:\\[\\]-]+"), "alerts.email.host", host, "the SMTP server's host name");
            ConfigException.require(host.isEmpty() || to.matches("[^\\s@,]+@[^\\s@,]+(\\s*,\\s*[^\\s@,]+@[^\\s@,]+)*"), "alerts.email.to", to,
                    "one or more addresses separated by commas, such as keeper@example.org");
            ConfigException.require(host.isEmpty() || from.matches("[^\\s@]+@[^\\s@]+"), "alerts.email.from", from,
                    "the sender's address, such as beeper@example.org");
        }

        public static Email defaults() {
            return new Email("", 587, true, "", "", "", "");
        }

        public boolean on() {
            return !host.isEmpty();
        }
    }
}

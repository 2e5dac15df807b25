package io.beeperkeeper.config;

/**
 * The thermal governor ({@code thermal:}): on a hot CPU the software-encoded cameras (test, v4l2) are
 * stepped down, frame rate first, then size, and back up once the CPU has cooled. The Pi camera's
 * hardware encoder (rpicam) and the copied streams (rtsp, file) are never touched.
 *
 * @param enabled         run the governor at all
 * @param softLimitC      the CPU temperature to stay under, degC (the Pi 3B+ firmware throttles at 70)
 * @param marginC         step down once the CPU is this close to {@code softLimitC}
 * @param hysteresisC     step back up only once the CPU is this far below {@code softLimitC}
 *                        (more than {@code marginC}, so the two thresholds never meet)
 * @param dwellSeconds    at least this long between two steps, and this long cool before a step up
 * @param intervalSeconds how often the temperature and the throttle flags are read
 * @param thermalZone     the thermal zone file (milli-degC)
 * @param throttleFile    a file holding the firmware's throttle word; empty: the firmware's sysfs node,
 *                        else {@code vcgencmd get_throttled} (as the CPU temperature sensor reads it)
 */
public record ThermalConfig(boolean enabled, double softLimitC, double marginC, double hysteresisC, double dwellSeconds,
                            double intervalSeconds, String thermalZone, String throttleFile) {
    public ThermalConfig {
        ConfigException.require(softLimitC >= 40 && softLimitC <= 90, "thermal.softLimitC", softLimitC,
                "degC, 40-90 (the Pi 3B+ firmware throttles at 70)");
        ConfigException.require(marginC >= 0 && marginC <= 20, "thermal.marginC", marginC, "degC below thermal.softLimitC, 0-20");
        ConfigException.require(hysteresisC > marginC && hysteresisC <= 30, "thermal.hysteresisC", hysteresisC,
                "degC below thermal.softLimitC, more than thermal.marginC (" + marginC + ") and at most 30");
        ConfigException.require(dwellSeconds >= 1 && dwellSeconds <= 3600, "thermal.dwellSeconds", dwellSeconds, "seconds, 1-3600");
        ConfigException.require(intervalSeconds >= 0.2 && intervalSeconds <= 300, "thermal.intervalSeconds", intervalSeconds,
                "seconds, 0.2-300");
        ConfigException.require(thermalZone != null && !thermalZone.isBlank(), "thermal.thermalZone", thermalZone,
                "a thermal zone file such as /sys/class/thermal/thermal_zone0/temp");
        throttleFile = throttleFile == null ? "" : throttleFile;
    }

    public static ThermalConfig defaults() {
        return new ThermalConfig(true, 68, 1, 5, 60, 5, "/sys/class/thermal/thermal_zone0/temp", "");
    }

    /** At or above this the cameras step down. */
    public double stepDownAtC() {
        return softLimitC - marginC;
    }

    /** At or below this (for {@code dwellSeconds}) they step back up. */
    public double stepUpAtC() {
        return softLimitC - hysteresisC;
    }
}

package io.beeperkeeper.config;

/**
 * The time-lapse of each camera: one keyframe kept every {@code intervalSeconds} (as the camera
 * encoded it, never decoded), and each day played back at {@code fps} keyframes a second, so a day
 * at the defaults (2880 keyframes) lasts 96 s. The day ends at midnight in {@code history.timeZone}.
 *
 * @param enabled         off: nothing is kept and the page shows no time-lapse
 * @param intervalSeconds the first keyframe after each interval is kept
 * @param fps             frames per second of the day's movie (its timestamps only; nothing is re-encoded)
 * @param retentionDays   a day is deleted once it is this many days older than today
 */
public record TimelapseConfig(boolean enabled, int intervalSeconds, int fps, int retentionDays) {
    public TimelapseConfig {
        ConfigException.require(intervalSeconds >= 1 && intervalSeconds <= 3600, "timelapse.intervalSeconds", intervalSeconds,
                "a whole number of seconds from 1 to 3600 (30 keeps 2880 keyframes a day)");
        ConfigException.require(fps >= 1 && fps <= 60, "timelapse.fps", fps, "a whole number of frames per second from 1 to 60");
        ConfigException.require(retentionDays >= 1 && retentionDays <= 3650, "timelapse.retentionDays", retentionDays,
                "a whole number of days from 1 to 3650");
    }

    public static TimelapseConfig defaults() {
        return new TimelapseConfig(true, 30, 30, 30);
    }
}

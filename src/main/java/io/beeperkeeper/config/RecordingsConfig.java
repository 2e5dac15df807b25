package io.beeperkeeper.config;

/**
 * Clips: each camera keeps the last {@code preRollSeconds} of its frames in memory, and a trigger
 * (a "record" click, an alert, a motion event) writes an MP4 from that pre-roll through the event
 * plus {@code postRollSeconds}, split into parts of at most {@code maxClipSeconds}. Frames are stored
 * as the camera encoded them. Kept in {@code <data>/clips} within {@code maxBytes} and
 * {@code maxAgeDays}; below {@code minFreeBytes} of free disk no clip is written.
 *
 * @param enabled         off: no pre-roll is kept, nothing is recorded, the page shows no clips
 * @param preRollSeconds  seconds before the trigger a clip starts (from the keyframe at or before)
 * @param postRollSeconds seconds a clip goes on after its event ends (motion) or after an alert fires
 * @param maxClipSeconds  longer events are split at keyframes into parts of at most this, linked by an event id
 * @param maxBytes        clips past this many bytes in all are deleted, oldest first
 * @param maxAgeDays      clips older than this are deleted
 * @param minFreeBytes    below this much free space on the data folder's disk writing stops (health warns)
 * @param alertSeconds    how long after an alert fires its clip goes on
 * @param alertCameras    comma-separated cameras an alert records; empty: every camera
 */
public record RecordingsConfig(boolean enabled, int preRollSeconds, int postRollSeconds, int maxClipSeconds, long maxBytes,
                               int maxAgeDays, long minFreeBytes, int alertSeconds, String alertCameras) {
    public static final long MB = 1_000_000L;

    public RecordingsConfig {
        ConfigException.require(preRollSeconds >= 0 && preRollSeconds <= 30, "recordings.preRollSeconds", preRollSeconds,
                "a whole number of seconds from 0 to 30 (the pre-roll is held in memory)");
        ConfigException.require(postRollSeconds >= 0 && postRollSeconds <= 300, "recordings.postRollSeconds", postRollSeconds,
                "a whole number of seconds from 0 to 300");
        ConfigException.require(maxClipSeconds >= 5 && maxClipSeconds <= 3600, "recordings.maxClipSeconds", maxClipSeconds,
                "a whole number of seconds from 5 to 3600 (60 puts a clip on disk within a minute of its start)");
        ConfigException.require(maxBytes >= 10 * MB, "recordings.maxBytes", maxBytes,
                "a number of bytes of at least 10000000 (10 MB); 2000000000 keeps about 2 GB of clips");
        ConfigException.require(maxAgeDays >= 1 && maxAgeDays <= 3650, "recordings.maxAgeDays", maxAgeDays,
                "a whole number of days from 1 to 3650");
        ConfigException.require(minFreeBytes >= 0, "recordings.minFreeBytes", minFreeBytes,
                "a number of bytes, 0 or more (500000000 stops writing below 500 MB free)");
        ConfigException.require(alertSeconds >= 1 && alertSeconds <= 600, "recordings.alertSeconds", alertSeconds,
                "a whole number of seconds from 1 to 600");
        alertCameras = alertCameras == null ? "" : alertCameras.trim();
        ConfigException.require(alertCameras.matches("([a-z0-9][a-z0-9-]{0,31}(\\s*,\\s*[a-z0-9][a-z0-9-]{0,31})*)?"),
                "recordings.alertCameras", alertCameras, "camera names separated by commas (coop,run), or empty for every camera");
    }

    public static RecordingsConfig defaults() {
        return new RecordingsConfig(true, 5, 5, 60, 2_000 * MB, 14, 500 * MB, 30, "");
    }

    /** The cameras an alert records, or empty for all. */
    public java.util.List<String> alertCameraList() {
        return alertCameras.isEmpty() ? java.util.List.of() : java.util.Arrays.stream(alertCameras.split(",")).map(String::trim).toList();
    }
}

package io.beeperkeeper.sensor;

/**
 * The kinds of reading a node publishes, each with the seed's MQTT topic (below the topic prefix,
 * {@code beeper} by default) so existing Telegraf set-ups keep working.
 */
public enum ReadingKind {
    BME680("sensors/bme680/all"),
    CPU_TEMPERATURE("sensors/cpu/temperature"),
    SYSTEM_STATS("system/stats"),
    CAMERA_METADATA("camera/csi/metadata"),
    AUDIO_LEVEL("audio/level");

    private final String topicSuffix;

    ReadingKind(String topicSuffix) {
        this.topicSuffix = topicSuffix;
    }

    public String topicSuffix() {
        return topicSuffix;
    }

    public static ReadingKind fromTopicSuffix(String suffix) {
        for (ReadingKind k : values()) {
            if (k.topicSuffix.equals(suffix)) {
                return k;
            }
        }
        return null;
    }
}

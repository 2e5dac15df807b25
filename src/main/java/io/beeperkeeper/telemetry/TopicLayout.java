package io.beeperkeeper.telemetry;

import io.beeperkeeper.sensor.ReadingKind;

/**
 * Where a node's messages go. {@code beeper/<node>/<suffix>} lets several nodes share one broker (the
 * hub's subscriber reads both forms); {@code seedTopics} keeps the seed's exact {@code beeper/<suffix>}
 * for an existing Telegraf. The node's availability ("online"/"offline") is always per node.
 */
record TopicLayout(String prefix, String node, boolean seedTopics) {
    public String topic(ReadingKind kind) {
        return seedTopics ? prefix + "/" + kind.topicSuffix() : prefix + "/" + node + "/" + kind.topicSuffix();
    }

    /**
     * Where Home Assistant reads this node's current values: live readings only, retained, never the
     * ones replayed from the disk queue after an outage (Home Assistant has no timestamp and would take
     * an old value for the current one). Below the node, so neither the hub nor Telegraf's
     * {@code beeper/+/<suffix>} topics take it for a reading.
     */
    public String homeAssistantTopic(ReadingKind kind) {
        return prefix + "/" + node + "/ha/" + kind.topicSuffix();
    }

    public String availabilityTopic() {
        return prefix + "/" + node + "/status";
    }

    /** A camera's motion state ({@code ON}/{@code OFF} as JSON), retained. */
    public String motionTopic(String camera) {
        return prefix + "/" + node + "/camera/" + camera + "/motion";
    }
}

package io.beeperkeeper.feature;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Builds the hub's JSON mapper. {@code App} makes one and hands it to every feature, so every MQTT
 * payload and API answer is written the same way.
 */
public final class Json {
    private Json() {
    }

    public static ObjectMapper newMapper() {
        return new ObjectMapper();
    }
}

package io.beeperkeeper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sound level comes from the camera's own audio capture: the default test camera "usb" plays
 * ffmpeg's sine (amplitude 1/8), whose RMS is -21.1 dBFS and peak -18.1 dBFS, and those are the
 * figures that must appear on beeper/audio/level.
 */
class CameraMicrophoneTest {
    @Test
    void levelMeterReadsTheCamerasAudio(@TempDir Path data) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> levels = new CopyOnWriteArrayList<>();
        try (App hub = TestHub.start(data, Map.of("sensors.mode", "auto", "sensors.intervalSeconds", "3600"))) {
            MqttClient client = new MqttClient(hub.mqttUrl(), "mic-observer", new MemoryPersistence());
            try {
                // Moquette 0.17 can drop a client whose SUBSCRIBE follows its CONNACK too closely (its
                // session is still CONNECTING); a real client reconnects, and so does this observer.
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                    if (!client.isConnected()) {
                        client.connect();
                    }
                    client.subscribe("beeper/audio/level", (topic, msg) -> levels.add(json.readTree(msg.getPayload())));
                    return client.isConnected();
                });
                await().atMost(Duration.ofSeconds(30)).until(() -> levels.size() >= 3);
            } finally {
                if (client.isConnected()) {
                    client.disconnect();
                }
                client.close();
            }
        }
        JsonNode last = levels.get(levels.size() - 1);
        assertThat(last.get("level_db").asDouble()).isBetween(-22.5, -19.5);
        assertThat(last.get("peak_db").asDouble()).isBetween(-19.5, -16.5);
    }
}

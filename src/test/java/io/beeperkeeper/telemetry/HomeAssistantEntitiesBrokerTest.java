package io.beeperkeeper.telemetry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.mqtt.MqttLink;
import io.beeperkeeper.sensor.ReadingKind;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On the real embedded broker, as Home Assistant sees it: a node announces only what it has (nothing
 * before its sensors are chosen), and after a restart with a sensor and a camera gone it withdraws their
 * entities with an empty retained config (the record of what was announced is in the data folder), so
 * the broker holds them no more. Each camera's still URL waits retained for Home Assistant.
 */
class HomeAssistantEntitiesBrokerTest {
    private final ObjectMapper json = new ObjectMapper();
    private static final String TEMPERATURE = "homeassistant/sensor/beeper_coop1_temperature/config";
    private static final String CPU = "homeassistant/sensor/beeper_coop1_cpu_percent/config";
    private static final String USB = "homeassistant/image/beeper_coop1_camera_usb/config";
    private static final String CSI = "homeassistant/image/beeper_coop1_camera_csi/config";

    @TempDir
    Path data;

    @Test
    void announcesWhatExistsAndWithdrawsWhatIsGone() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker("127.0.0.1", 0)) {
            broker.start();
            Map<String, String> seen = new ConcurrentHashMap<>();
            MqttClient ha = new MqttClient(broker.url(), "home-assistant", new MemoryPersistence());
            ha.connect();
            ha.subscribe("homeassistant/#", 1, (t, m) -> seen.put(t, new String(m.getPayload(), StandardCharsets.UTF_8)));
            ha.subscribe("beeper/coop1/status", 1, (t, m) -> seen.put(t, new String(m.getPayload(), StandardCharsets.UTF_8)));
            ha.subscribe("beeper/coop1/ha/camera/#", 1, (t, m) -> seen.put(t, new String(m.getPayload(), StandardCharsets.UTF_8)));

            try (MqttLink link = new MqttLink(broker.url(), "coop1-pub-1", "", "");
                 HomeAssistantPublisher p = publisher(link, List.of("csi", "usb"))) {
                p.start();
                link.start();
                assertThat(link.awaitConnected(60_000)).isTrue();
                await().atMost(Duration.ofSeconds(60)).until(() -> seen.containsKey("beeper/coop1/status"));
                assertThat(seen.keySet()).as("nothing announced before the sensors are chosen").noneMatch(t -> t.startsWith("homeassistant/"));
                p.present(EnumSet.of(ReadingKind.BME680, ReadingKind.SYSTEM_STATS));
                await().atMost(Duration.ofSeconds(60)).until(() -> seen.keySet().containsAll(List.of(TEMPERATURE, CPU, USB, CSI)));
                assertThat(seen).doesNotContainKey("homeassistant/sensor/beeper_coop1_lux/config")
                        .doesNotContainKey("homeassistant/sensor/beeper_coop1_audio_level_db/config")
                        .doesNotContainKey("homeassistant/binary_sensor/beeper_coop1_throttling/config");
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(seen.get("beeper/coop1/ha/camera/csi/snapshot"))
                        .matches("\\{\"url\":\"http://coop1:8080/api/cameras/csi/snapshot.jpg\\?at=\\d+\"}"));
            }

            // restarted without the BME680 and the usb camera
            try (MqttLink link = new MqttLink(broker.url(), "coop1-pub-2", "", "");
                 HomeAssistantPublisher p = publisher(link, List.of("csi"))) {
                p.start();
                link.start();
                assertThat(link.awaitConnected(60_000)).isTrue();
                p.present(EnumSet.of(ReadingKind.SYSTEM_STATS));
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(seen.get(TEMPERATURE)).isEmpty();
                    assertThat(seen.get(USB)).isEmpty();
                    assertThat(seen.get("homeassistant/sensor/beeper_coop1_humidity/config")).isEmpty();
                });
                assertThat(seen.get(CPU)).contains("\"unique_id\":\"beeper_coop1_cpu_percent\"");
                assertThat(seen.get(CSI)).contains("\"url_topic\":\"beeper/coop1/ha/camera/csi/snapshot\"");
            }
            ha.disconnect();
            ha.close();

            // a Home Assistant that connects now gets only what exists: the broker dropped the withdrawn configs
            Map<String, String> retained = new ConcurrentHashMap<>();
            MqttClient late = new MqttClient(broker.url(), "home-assistant-2", new MemoryPersistence());
            late.connect();
            late.subscribe("homeassistant/#", 1, (t, m) -> retained.put(t, new String(m.getPayload(), StandardCharsets.UTF_8)));
            await().atMost(Duration.ofSeconds(60)).until(() -> retained.containsKey(CPU) && retained.containsKey(CSI));
            assertThat(retained).doesNotContainKeys(TEMPERATURE, USB);
            assertThat(json.readTree(data.resolve(HomeAssistantPublisher.ANNOUNCED_FILE).toFile()).path("configTopics").toString())
                    .contains(CPU).contains(CSI).doesNotContain(TEMPERATURE).doesNotContain(USB);
            late.disconnect();
            late.close();
        }
    }

    private HomeAssistantPublisher publisher(MqttLink link, List<String> cameras) {
        return new HomeAssistantPublisher(link, new HomeAssistantDiscovery(json, "coop1", "test", "http://coop1:8080/", 50, 30, cameras),
                new TopicLayout("beeper", "coop1", false), true, data, json, Clock.systemUTC());
    }
}

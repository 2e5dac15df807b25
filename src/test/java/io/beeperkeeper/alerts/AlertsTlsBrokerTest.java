package io.beeperkeeper.alerts;

import io.beeperkeeper.App;
import io.beeperkeeper.Ports;
import io.beeperkeeper.TestHub;
import io.beeperkeeper.mqtt.MqttTls;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The alerts on an external {@code ssl://} broker whose certificate a home CA made (real Mosquitto with
 * a TLS listener on 127.0.0.1, certificate self-signed by keytool, given to the hub as
 * {@code mqtt.caFile}): the alerts' retained states and their Home Assistant configs arrive there,
 * and a reading from outside fires a rule whose state the broker then holds for a client that comes later.
 */
class AlertsTlsBrokerTest {
    private static final String RULES = """
            alerts:
              rules:
                pressure-high:
                  kind: threshold
                  metric: pressure
                  above: 1080
            """;

    @TempDir
    Path dir;

    @Test
    void alertsPublishThroughTheSharedLinkTrustingTheCaFile() throws Exception {
        Path ca = certificate(dir);
        int port = Ports.freePort();
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), """
                listener %d 127.0.0.1
                allow_anonymous true
                persistence false
                user %s
                certfile %s
                keyfile %s
                """.formatted(port, System.getProperty("user.name"), ca, dir.resolve("key.pem")));
        Process broker = new ProcessBuilder("mosquitto", "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        try {
            // as root Mosquitto would drop to its own user, who cannot read the test's private folder: "user" keeps ours
            await().atMost(Duration.ofSeconds(60)).until(() -> listening(port) || !broker.isAlive());
            assertThat(broker.isAlive()).as(Files.readString(dir.resolve("mosquitto.log"))).isTrue();
            String url = "ssl://127.0.0.1:" + port;
            try (App hub = TestHub.start(dir.resolve("data"), RULES, Map.of("mqtt.broker", "external", "mqtt.url", url,
                    "mqtt.caFile", ca.toString(), "sensors.intervalSeconds", "3600"), Clock.systemUTC())) {
                MqttClient probe = new MqttClient(url, "probe-" + System.nanoTime(), new MemoryPersistence());
                MqttConnectOptions o = new MqttConnectOptions();
                o.setSocketFactory(MqttTls.socketFactory(ca.toString()));
                probe.connect(o);
                Map<String, String> seen = new ConcurrentHashMap<>();
                probe.subscribe("beeper/alerts/#", 1, (t, m) -> seen.put(t, new String(m.getPayload(), StandardCharsets.UTF_8)));
                probe.subscribe("homeassistant/binary_sensor/#", 1, (t, m) -> seen.put(t, new String(m.getPayload(), StandardCharsets.UTF_8)));
                try {
                    // the rule's first state is not asserted: once the simulated BME680's first reading reaches
                    // the rule, that state counts as simulated, which the hub keeps off MQTT
                    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                        assertThat(seen.get("homeassistant/binary_sensor/testnode_alert_pressure_high/config"))
                                .contains("\"default_entity_id\":\"binary_sensor.testnode_alert_pressure_high\"")
                                .doesNotContain("object_id");
                    });

                    String payload = "{\"pressure\":1090,\"timestamp\":" + System.currentTimeMillis() / 1000.0 + "}";
                    probe.publish("beeper/sensors/bme680/all", new MqttMessage(payload.getBytes(StandardCharsets.UTF_8)));
                    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                            assertThat(seen.get("beeper/alerts/pressure-high")).contains("\"state\":\"firing\""));
                    assertThat(hub.health().snapshot().get("alerts.mqtt").detail()).matches("[1-9]\\d* sent, .* 0 failed.*");
                    Map<String, String> retained = new ConcurrentHashMap<>();
                    MqttClient late = new MqttClient(url, "late-" + System.nanoTime(), new MemoryPersistence());
                    late.connect(o);
                    try {
                        late.subscribe("beeper/alerts/#", 1, (t, m) -> retained.put(t, new String(m.getPayload(), StandardCharsets.UTF_8)));
                        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                                assertThat(retained.get("beeper/alerts/pressure-high")).contains("\"state\":\"firing\""));
                    } finally {
                        late.disconnect();
                        late.close();
                    }
                } finally {
                    probe.disconnect();
                    probe.close();
                }
            }
        } finally {
            broker.destroy();
            broker.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** A self-signed certificate for 127.0.0.1 by the JDK's keytool: its PEM is the CA file, its key key.pem. */
    private static Path certificate(Path dir) throws Exception {
        Path ks = dir.resolve("broker.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-ext", "bc:c=ca:true", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(new String(out, StandardCharsets.UTF_8)).isTrue();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + b64.encodeToString(store.getKey("broker", "changeit".toCharArray()).getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        return Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n"
                + b64.encodeToString(store.getCertificate("broker").getEncoded()) + "\n-----END CERTIFICATE-----\n");
    }
}

package io.beeperkeeper.telemetry;

import io.beeperkeeper.feature.Json;
import io.beeperkeeper.metric.MetricSample;
import io.beeperkeeper.sensor.Reading;
import io.beeperkeeper.sensor.ReadingKind;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The MQTT payloads as Telegraf, Home Assistant and {@code mosquitto_sub} read them. */
class ReadingCodecTest {
    private final ReadingCodec codec = new ReadingCodec(Json.newMapper(), ReadingLimits.ofHours(72));
    private static final Instant AT = Instant.ofEpochMilli(1796152234443L);

    @Test
    void payloadTimestampIsAPlainDecimal() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("temperature", 21.5);
        fields.put("humidity", 55.0);
        fields.put("iaq_class", "Good");
        String payload = new String(codec.encode(new Reading(ReadingKind.BME680, AT, fields)), StandardCharsets.UTF_8);
        assertThat(payload).isEqualTo("{\"temperature\":21.5,\"humidity\":55.0,\"iaq_class\":\"Good\",\"timestamp\":1796152234.443}");
    }

    @Test
    void aPayloadReadsBackToTheSameInstant() {
        byte[] payload = codec.encode(new Reading(ReadingKind.SYSTEM_STATS, AT, Map.of("uptime_s", 12345678.0)));
        assertThat(new String(payload, StandardCharsets.UTF_8)).isEqualTo("{\"uptime_s\":12345678.0,\"timestamp\":1796152234.443}");
        List<MetricSample> samples = codec.decode("coop", ReadingKind.SYSTEM_STATS, payload, AT).samples();
        assertThat(samples).singleElement().satisfies(s -> {
            assertThat(s.time()).isEqualTo(AT);
            assertThat(s.value()).isEqualTo(12345678.0);
        });
    }

    @Test
    void aSimulatedReadingStaysMarkedAndTheMarkIsNotAField() {
        byte[] payload = "{\"temperature\":20.5,\"simulated\":true}".getBytes(StandardCharsets.UTF_8);
        ReadingCodec.Decoded d = codec.decode("coop", ReadingKind.BME680, payload, AT);
        assertThat(d.ignoredFields()).isZero();
        assertThat(d.samples()).singleElement().satisfies(s -> {
            assertThat(s.metric()).isEqualTo("temperature");
            assertThat(s.simulated()).isTrue();
        });
        assertThat(codec.decode("coop", ReadingKind.BME680, "{\"temperature\":20.5}".getBytes(StandardCharsets.UTF_8), AT)
                .samples().get(0).simulated()).isFalse();
    }
}

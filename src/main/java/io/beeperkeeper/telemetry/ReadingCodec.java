package io.beeperkeeper.telemetry;

import io.beeperkeeper.metric.MetricSample;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beeperkeeper.sensor.Reading;
import io.beeperkeeper.sensor.ReadingKind;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Turns readings into the seed's JSON payloads and payloads back into metric samples. Decoding is
 * the hub's defence against whatever arrives on the broker: anything malformed is refused with a
 * {@link BadPayloadException} naming the problem, never half-applied.
 */
public final class ReadingCodec {
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;
    private static final double MAX_CLOCK_SKEW_SECONDS = 365L * 24 * 3600;

    private final ObjectMapper json;

    public ReadingCodec(ObjectMapper json) {
        this.json = json;
    }

    public byte[] encode(Reading reading) {
        ObjectNode node = json.createObjectNode();
        reading.fields().forEach((k, v) -> {
            if (v instanceof Number n) {
                node.put(k, n.doubleValue());
            } else if (v instanceof Boolean b) {
                node.put(k, b);
            } else if (v != null) {
                node.put(k, v.toString());
            }
        });
        node.put("timestamp", reading.time().toEpochMilli() / 1000.0);
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode reading " + reading.kind(), e);
        }
    }

    /**
     * @param receivedAt used when the payload has no timestamp
     * @return one sample per numeric field, labelled where a text field labels it
     */
    public List<MetricSample> decode(String node, ReadingKind kind, byte[] payload, Instant receivedAt) {
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new BadPayloadException("payload of " + payload.length + " bytes is over the " + MAX_PAYLOAD_BYTES + "-byte limit");
        }
        JsonNode root;
        try {
            root = json.readTree(payload);
        } catch (java.io.IOException e) {
            throw new BadPayloadException("not JSON: " + preview(payload));
        }
        if (root == null || !root.isObject()) {
            throw new BadPayloadException("expected a JSON object, got: " + preview(payload));
        }
        Instant time = receivedAt;
        JsonNode ts = root.get("timestamp");
        if (ts != null) {
            if (!ts.isNumber() || !Double.isFinite(ts.asDouble())
                    || Math.abs(ts.asDouble() - receivedAt.getEpochSecond()) > MAX_CLOCK_SKEW_SECONDS) {
                throw new BadPayloadException("timestamp must be epoch seconds within a year of now, got " + ts);
            }
            time = Instant.ofEpochMilli(Math.round(ts.asDouble() * 1000));
        }
        Map<String, String> labels = new HashMap<>();
        List<Map.Entry<String, JsonNode>> numbers = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getKey().equals("timestamp")) {
                continue;
            }
            JsonNode v = f.getValue();
            if (v.isNumber()) {
                if (!Double.isFinite(v.asDouble())) {
                    throw new BadPayloadException("field " + f.getKey() + " is not a finite number");
                }
                numbers.add(f);
            } else if (v.isBoolean()) {
                numbers.add(Map.entry(f.getKey(), json.getNodeFactory().numberNode(v.asBoolean() ? 1 : 0)));
            } else if (v.isTextual()) {
                String labelled = MetricCatalog.labelledMetric(kind, f.getKey());
                if (labelled != null) {
                    labels.put(labelled, v.asText().length() > 64 ? v.asText().substring(0, 64) : v.asText());
                }
            }
        }
        if (numbers.isEmpty()) {
            throw new BadPayloadException("no numeric field in " + preview(payload));
        }
        List<MetricSample> out = new ArrayList<>(numbers.size());
        for (Map.Entry<String, JsonNode> f : numbers) {
            MetricCatalog.MetricDef def = MetricCatalog.forField(kind, f.getKey());
            out.add(new MetricSample(node, def.metric(), f.getValue().asDouble(), def.unit(), time, labels.get(def.metric())));
        }
        return out;
    }

    private static String preview(byte[] payload) {
        String s = new String(payload, 0, Math.min(payload.length, 80), StandardCharsets.UTF_8);
        return "'" + s.replaceAll("\\p{Cntrl}", "?") + (payload.length > 80 ? "...'" : "'");
    }

    /** A payload the hub refuses; the message says why. */
    public static final class BadPayloadException extends RuntimeException {
        public BadPayloadException(String message) {
            super(message);
        }
    }
}

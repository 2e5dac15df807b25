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
import java.util.Optional;

/**
 * Turns readings into the seed's JSON payloads and payloads back into metric samples. Decoding is
 * the hub's defence against whatever arrives on the broker: anything malformed, implausible or
 * stamped outside {@link ReadingLimits} is refused with a {@link BadPayloadException} naming the
 * problem and its {@link Refusal} reason, never half-applied. Fields the {@link MetricCatalog} does not
 * know are ignored (and counted by the caller), so a publisher cannot add series.
 */
final class ReadingCodec {
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;
    /** The payload field that marks a simulated twin's reading. */
    public static final String SIMULATED = "simulated";

    /** What a payload yields: its samples, and how many unknown fields were left out. */
    public record Decoded(List<MetricSample> samples, int ignoredFields) {
    }

    private final ObjectMapper json;
    private final ReadingLimits limits;

    public ReadingCodec(ObjectMapper json, ReadingLimits limits) {
        this.json = json;
        this.limits = limits;
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
     * @param receivedAt the hub's clock now; used when the payload has no timestamp
     * @return one sample per known numeric field, labelled where a text field labels it
     */
    public Decoded decode(String node, ReadingKind kind, byte[] payload, Instant receivedAt) {
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new BadPayloadException(Refusal.TOO_LARGE, "payload of " + payload.length + " bytes is over the " + MAX_PAYLOAD_BYTES + "-byte limit");
        }
        JsonNode root;
        try {
            root = json.readTree(payload);
        } catch (java.io.IOException e) {
            throw new BadPayloadException(Refusal.NOT_JSON, "not JSON: " + preview(payload));
        }
        if (root == null || !root.isObject()) {
            throw new BadPayloadException(Refusal.NOT_AN_OBJECT, "expected a JSON object, got: " + preview(payload));
        }
        Instant time = timestamp(root.get("timestamp"), receivedAt);
        Map<String, String> labels = new HashMap<>();
        List<Map.Entry<MetricCatalog.MetricDef, Double>> numbers = new ArrayList<>();
        int ignored = 0;
        boolean simulated = false;
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getKey().equals("timestamp")) {
                continue;
            }
            JsonNode v = f.getValue();
            if (f.getKey().equals(SIMULATED) && v.isBoolean()) {
                simulated = v.asBoolean();
                continue;
            }
            if (v.isNumber() || v.isBoolean()) {
                MetricCatalog.MetricDef def = MetricCatalog.find(kind, f.getKey()).orElse(null);
                if (def == null) {
                    ignored++;
                    continue;
                }
                double d = v.isBoolean() ? (v.asBoolean() ? 1 : 0) : v.asDouble();
                if (!Double.isFinite(d) || !def.plausible(d)) {
                    throw new BadPayloadException(Refusal.OUT_OF_RANGE, "field " + f.getKey() + " = " + preview(v.toString().getBytes(StandardCharsets.UTF_8))
                            + " is outside " + def.min() + ".." + def.max() + (def.unit().isEmpty() ? "" : " " + def.unit()));
                }
                numbers.add(Map.entry(def, d));
            } else if (v.isTextual() && MetricCatalog.labelledMetric(kind, f.getKey()) != null) {
                labels.put(MetricCatalog.labelledMetric(kind, f.getKey()), v.asText().length() > 64 ? v.asText().substring(0, 64) : v.asText());
            } else if (!(v.isTextual() && MetricCatalog.isNote(kind, f.getKey()))) {
                ignored++;
            }
        }
        if (numbers.isEmpty()) {
            throw new BadPayloadException(Refusal.NO_KNOWN_FIELD, "no known numeric field for " + kind.topicSuffix() + " in " + preview(payload)
                    + " (known: " + String.join(", ", MetricCatalog.fieldsOf(kind).keySet()) + ")");
        }
        List<MetricSample> out = new ArrayList<>(numbers.size());
        for (Map.Entry<MetricCatalog.MetricDef, Double> n : numbers) {
            MetricCatalog.MetricDef def = n.getKey();
            out.add(new MetricSample(node, def.metric(), n.getValue(), def.unit(), time, labels.get(def.metric()), simulated));
        }
        return new Decoded(out, ignored);
    }

    private Instant timestamp(JsonNode ts, Instant now) {
        if (ts == null) {
            return now;
        }
        if (!ts.isNumber() || !Double.isFinite(ts.asDouble()) || Math.abs(ts.asDouble()) > 1e11) {
            throw new BadPayloadException(Refusal.BAD_TIMESTAMP, "timestamp must be a number of epoch seconds, got " + preview(ts.toString().getBytes(StandardCharsets.UTF_8)));
        }
        Instant t = Instant.ofEpochMilli(Math.round(ts.asDouble() * 1000));
        if (t.isAfter(now.plus(limits.maxAhead()))) {
            throw new BadPayloadException(Refusal.TIMESTAMP_AHEAD, "timestamp " + t + " is ahead of the hub's clock (" + now
                    + ") by more than " + limits.maxAhead().toSeconds() + " s: check the node's clock (NTP)");
        }
        if (t.isBefore(now.minus(limits.maxAge()))) {
            throw new BadPayloadException(Refusal.TIMESTAMP_TOO_OLD, "timestamp " + t + " is older than " + limits.maxAge().toHours()
                    + " h (mqtt.queueMaxAgeHours): check the node's clock (NTP)");
        }
        return t;
    }

    /** The {@code timestamp} of an encoded payload, if it has a readable one. */
    Optional<Instant> timestampOf(byte[] payload) {
        try {
            JsonNode ts = json.readTree(payload).get("timestamp");
            return ts != null && ts.isNumber() && Double.isFinite(ts.asDouble()) && Math.abs(ts.asDouble()) < 1e11
                    ? Optional.of(Instant.ofEpochMilli(Math.round(ts.asDouble() * 1000))) : Optional.empty();
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Readings older than this are neither replayed nor accepted. */
    ReadingLimits limits() {
        return limits;
    }

    private static String preview(byte[] payload) {
        String s = new String(payload, 0, Math.min(payload.length, 80), StandardCharsets.UTF_8);
        return "'" + s.replaceAll("\\p{Cntrl}", "?") + (payload.length > 80 ? "...'" : "'");
    }

    /** A payload the hub refuses; the message says why. */
    public static final class BadPayloadException extends RuntimeException {
        private final Refusal reason;

        BadPayloadException(Refusal reason, String message) {
            super(message);
            this.reason = reason;
        }

        Refusal reason() {
            return reason;
        }
    }
}

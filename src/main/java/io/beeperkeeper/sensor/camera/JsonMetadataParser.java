package io.beeperkeeper.sensor.camera;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --metadata-format json}: a streamed array {@code [ {...}, {...}, ...} (closed only when the
 * camera stops). A small state machine finds where each top-level object ends (strings and escapes
 * respected, arrays nested), then Jackson parses just that object. Recovery: a raw newline inside a
 * string, a '{' inside a record (rpicam never nests objects: the record before it was cut off), an
 * over-long record or an object Jackson rejects drops the record and counts it; stray characters between
 * records count once per run (a run ends where the next record starts).
 */
final class JsonMetadataParser implements MetadataParser {
    static final int MAX_RECORD = 16 * 1024;

    private final Listener listener;
    private final ObjectMapper json = io.beeperkeeper.feature.Json.newMapper();
    private final byte[] buf = new byte[MAX_RECORD];
    private int len;
    private boolean inRecord;
    private boolean inString;
    private boolean escape;
    private int arrayDepth;
    private boolean tooLong;
    private boolean inGarbage;
    // one thread feeds; /api/health reads from another
    private volatile long records;
    private volatile long skipped;

    JsonMetadataParser(Listener listener) {
        this.listener = listener;
    }

    @Override
    public void feed(byte[] data, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = data[i];
            if (!inRecord) {
                outside(b);
            } else {
                inside(b);
            }
        }
    }

    private void outside(byte b) {
        switch (b) {
            case '{' -> {
                startRecord();
                append(b);
            }
            case '[', ']', ',', ' ', '\t', '\r', '\n' -> {
                // separators: fine between records, and part of a garbage run that has started
            }
            default -> {
                if (!inGarbage) {
                    skipped++;
                    inGarbage = true;
                }
            }
        }
    }

    private void inside(byte b) {
        if (inString) {
            if (b == '\n') {
                dropRecord();
                return;
            }
            append(b);
            if (escape) {
                escape = false;
            } else if (b == '\\') {
                escape = true;
            } else if (b == '"') {
                inString = false;
            }
            return;
        }
        switch (b) {
            case '"' -> {
                inString = true;
                append(b);
            }
            case '[' -> {
                arrayDepth++;
                append(b);
            }
            case ']' -> {
                arrayDepth--;
                append(b);
            }
            case '{' -> {
                dropRecord();
                startRecord();
                append(b);
            }
            case '}' -> {
                append(b);
                finishRecord();
            }
            default -> append(b);
        }
    }

    private void startRecord() {
        inRecord = true;
        inString = false;
        escape = false;
        arrayDepth = 0;
        tooLong = false;
        len = 0;
        inGarbage = false;
    }

    private void append(byte b) {
        if (len < MAX_RECORD) {
            buf[len++] = b;
        } else {
            tooLong = true;
        }
    }

    private void finishRecord() {
        inRecord = false;
        if (tooLong || arrayDepth != 0) {
            skipped++;
            return;
        }
        try {
            JsonNode node = json.readTree(buf, 0, len);
            if (node == null || !node.isObject() || node.isEmpty()) {
                skipped++;
                return;
            }
            Map<String, Object> record = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                record.put(e.getKey(), v.isNumber() ? (Object) v.doubleValue() : v.isBoolean() ? (Object) v.booleanValue()
                        : v.isTextual() ? v.textValue() : v.toString());
            }
            records++;
            listener.onRecord(record);
        } catch (JsonProcessingException e) {
            skipped++;
        } catch (java.io.IOException e) {
            skipped++;
        }
    }

    private void dropRecord() {
        if (inRecord) {
            skipped++;
        }
        inRecord = false;
        inString = false;
        len = 0;
    }

    @Override
    public void endOfStream() {
        dropRecord();
        inGarbage = false;
    }

    @Override
    public long records() {
        return records;
    }

    @Override
    public long skipped() {
        return skipped;
    }
}

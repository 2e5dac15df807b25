package io.beeperkeeper.sensor.camera;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --metadata-format txt}: {@code Name=value} lines, a blank line after each frame. A line that is
 * not {@code Name=value}, an over-long line, or a name repeated within one record (two frames run together
 * because a blank line was lost) spoils the record: it is skipped and counted, and parsing resumes at the
 * next blank line.
 */
final class TxtMetadataParser implements MetadataParser {
    static final int MAX_LINE = 1024;
    static final int MAX_FIELDS = 256;

    private final Listener listener;
    private final byte[] line = new byte[MAX_LINE];
    private int lineLength;
    private boolean lineTooLong;
    private Map<String, Object> record = new LinkedHashMap<>();
    private boolean spoiled;
    // one thread feeds; /api/health reads from another
    private volatile long records;
    private volatile long skipped;

    TxtMetadataParser(Listener listener) {
        this.listener = listener;
    }

    @Override
    public void feed(byte[] data, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = data[i];
            if (b == '\n') {
                endLine();
            } else if (lineLength < MAX_LINE) {
                line[lineLength++] = b;
            } else {
                lineTooLong = true;
            }
        }
    }

    private void endLine() {
        int len = lineLength;
        if (len > 0 && line[len - 1] == '\r') {
            len--;
        }
        boolean tooLong = lineTooLong;
        lineLength = 0;
        lineTooLong = false;
        if (!tooLong && isBlank(len)) {
            endRecord();
            return;
        }
        if (spoiled) {
            return;
        }
        if (tooLong) {
            spoiled = true;
            return;
        }
        String text = new String(line, 0, len, StandardCharsets.UTF_8);
        int eq = text.indexOf('=');
        if (eq <= 0 || !validName(text, eq) || record.size() >= MAX_FIELDS) {
            spoiled = true;
            return;
        }
        String name = text.substring(0, eq);
        if (record.containsKey(name)) {
            spoiled = true;
            return;
        }
        record.put(name, MetadataValues.parse(text.substring(eq + 1).trim()));
    }

    private void endRecord() {
        if (spoiled) {
            skipped++;
        } else if (!record.isEmpty()) {
            records++;
            listener.onRecord(record);
        }
        record = new LinkedHashMap<>();
        spoiled = false;
    }

    @Override
    public void endOfStream() {
        if (lineLength > 0 || !record.isEmpty() || spoiled) {
            skipped++;
        }
        lineLength = 0;
        lineTooLong = false;
        record = new LinkedHashMap<>();
        spoiled = false;
    }

    private boolean isBlank(int len) {
        for (int i = 0; i < len; i++) {
            if (line[i] != ' ' && line[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    private static boolean validName(String s, int end) {
        if (!Character.isLetter(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < end; i++) {
            char c = s.charAt(i);
            if (!Character.isLetterOrDigit(c) && c != '_') {
                return false;
            }
        }
        return true;
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

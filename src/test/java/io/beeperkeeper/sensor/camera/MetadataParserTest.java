package io.beeperkeeper.sensor.camera;

import io.beeperkeeper.config.CameraMetadataConfig;
import io.beeperkeeper.sensor.Reading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class MetadataParserTest {

    static String txtFrame(int i) {
        return "SensorTimestamp=" + (1000 + i) + "\nExposureTime=" + (10000 + i) + "\nAnalogueGain=1.5\nColourGains=[ 1.8, 1.6 ]\n"
                + "Lux=" + (200.5 + i) + "\nColourTemperature=4500\nAeLocked=true\n\n";
    }

    static String jsonStream(int n) {
        StringBuilder sb = new StringBuilder("[\n");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",\n").append("{\n    \"SensorTimestamp\": ").append(1000 + i)
                    .append(",\n    \"ExposureTime\": ").append(10000 + i)
                    .append(",\n    \"AnalogueGain\": 1.5,\n    \"ColourGains\": [ 1.8, 1.6 ],\n    \"Lux\": ").append(200.5 + i)
                    .append(",\n    \"Note\": \"a } and a { in \\\"text\\\"\",\n    \"ColourTemperature\": 4500\n}");
        }
        return sb.toString();
    }

    private static List<Map<String, Object>> byteByByte(String format, String text, MetadataParser[] out) {
        List<Map<String, Object>> records = new ArrayList<>();
        MetadataParser p = MetadataParser.forFormat(CameraMetadataConfig.Format.fromWire(format), records::add);
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            p.feed(b, i, 1);
        }
        out[0] = p;
        return records;
    }

    @Test
    void txtFedByteByByte() {
        MetadataParser[] p = new MetadataParser[1];
        List<Map<String, Object>> r = byteByByte("txt", txtFrame(0) + txtFrame(1) + txtFrame(2), p);
        assertThat(r).hasSize(3);
        assertThat(r.get(1)).containsEntry("ExposureTime", 10001.0).containsEntry("Lux", 201.5)
                .containsEntry("AeLocked", true).containsEntry("ColourGains", "[ 1.8, 1.6 ]");
        assertThat(p[0].skipped()).isZero();
    }

    @Test
    void jsonFedByteByByteWithBracesInsideStrings() {
        MetadataParser[] p = new MetadataParser[1];
        List<Map<String, Object>> r = byteByByte("json", jsonStream(3) + "\n]\n", p);
        assertThat(r).hasSize(3);
        assertThat(r.get(2)).containsEntry("ExposureTime", 10002.0).containsEntry("ColourTemperature", 4500.0)
                .containsEntry("Note", "a } and a { in \"text\"");
        assertThat(p[0].skipped()).isZero();
    }

    @Test
    void txtGarbageAndTruncationAreSkippedAndCounted() {
        String good = txtFrame(0);
        String truncatedThenRestart = "ExposureTime=1\nAnalogueGain=1."; // camera died mid-record...
        String text = good + "\u0000\u00ff\u0013garbage!!\n\n" + truncatedThenRestart + txtFrame(1) + txtFrame(2)
                + "x".repeat(5000) + "\n\n" + txtFrame(3);
        MetadataParser[] p = new MetadataParser[1];
        List<Map<String, Object>> r = byteByByte("txt", text, p);
        // frame 1 ran into the cut record (ExposureTime twice): both lost, counted once
        assertThat(r).extracting(m -> m.get("ExposureTime")).containsExactly(10000.0, 10002.0, 10003.0);
        assertThat(p[0].skipped()).isEqualTo(3); // garbage record, merged record, over-long line
        p[0].feed("Lux=3\n".getBytes(), 0, 6);
        p[0].endOfStream();
        assertThat(p[0].skipped()).isEqualTo(4);
    }

    @Test
    void jsonGarbageAndTruncationAreSkippedAndCounted() {
        String cut = "[\n{\n    \"ExposureTime\": 5,\n    \"Lux\": 1"; // restart: a new array begins
        String text = jsonStream(1) + ",\n{ \"ExposureTime\": 1, \"Lux\": oops }" + ",\n@@@ noise @@@\n" + cut + jsonStream(2)
                + ",\n{\n  \"Broken\": \"no end\n  \"Lux\": 2\n}\n" + ",\n{ \"ExposureTime\": 99, \"Lux\": 7 }";
        MetadataParser[] p = new MetadataParser[1];
        List<Map<String, Object>> r = byteByByte("json", text, p);
        assertThat(r).extracting(m -> m.get("ExposureTime")).containsExactly(10000.0, 10000.0, 10001.0, 99.0);
        // invalid value, one garbage run (noise), the cut record, the raw newline in a string, and the
        // orphaned fields after it ("Lux": 2 } outside any record) as one more garbage run
        assertThat(p[0].skipped()).isEqualTo(5);
        assertThat(p[0].records()).isEqualTo(4);
    }

    @Test
    void publishesAtMostOncePerSecond() {
        Instant[] now = {Instant.parse("2026-05-01T08:00:00Z")};
        Clock clock = new Clock() {
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(java.time.ZoneId z) {
                return this;
            }

            public Instant instant() {
                return now[0];
            }
        };
        List<Reading> out = new ArrayList<>();
        CameraMetadataPublisher pub = new CameraMetadataPublisher(out::add, clock, Duration.ofSeconds(1));
        MetadataParser parser = MetadataParser.forFormat(CameraMetadataConfig.Format.TXT, pub);
        for (int i = 0; i < 45; i++) { // 3 s at 15 fps
            byte[] b = txtFrame(i).getBytes(StandardCharsets.UTF_8);
            parser.feed(b, 0, b.length);
            now[0] = now[0].plusMillis(1000 / 15);
        }
        assertThat(out).hasSize(3);
        assertThat(out.get(0).fields()).containsOnlyKeys("ExposureTime", "AnalogueGain", "Lux", "ColourTemperature");
        // 15 frames 66 ms apart make 990 ms: the 17th frame (index 16) is the first a second later
        assertThat(out.get(1).fields().get("ExposureTime")).isEqualTo(10016.0);
    }

    @Test
    void fifoReaderFeedsTheParser(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("meta.fifo");
        List<Map<String, Object>> records = new CopyOnWriteArrayList<>();
        MetadataParser parser = MetadataParser.forFormat(CameraMetadataConfig.Format.TXT, records::add);
        try (MetadataFifoReader reader = new MetadataFifoReader(fifo, parser)) {
            reader.start();
            assertThat(Files.isRegularFile(fifo)).isFalse();
            for (int round = 0; round < 2; round++) { // the camera restarts: a second writer, same FIFO
                try (FileOutputStream camera = new FileOutputStream(fifo.toFile())) {
                    for (int i = 0; i < 5; i++) {
                        camera.write(txtFrame(round * 5 + i).getBytes(StandardCharsets.UTF_8));
                        camera.flush();
                    }
                }
            }
            // the reader thread and the kernel's FIFO: a generous deadline for a loaded machine
            await().atMost(Duration.ofSeconds(30)).until(() -> records.size() >= 10);
        }
        assertThat(records).hasSize(10);
        assertThat(records.get(9)).containsEntry("ExposureTime", 10009.0);
    }
}

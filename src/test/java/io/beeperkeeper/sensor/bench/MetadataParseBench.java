package io.beeperkeeper.sensor.bench;

import io.beeperkeeper.config.CameraMetadataConfig;
import io.beeperkeeper.sensor.camera.CameraMetadataPublisher;
import io.beeperkeeper.sensor.camera.MetadataParser;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hub CPU time spent parsing camera metadata: realistic rpicam-vid records (the ~20 controls a Pi camera
 * reports per frame) fed in 4 KiB reads as the FIFO delivers them, through the parser and the 1/s
 * publisher. Prints the CPU time per minute at 15 records/s for both formats.
 * Run: mvn -q test-compile exec:java -Dexec.classpathScope=test
 *      -Dexec.mainClass=io.beeperkeeper.sensor.bench.MetadataParseBench
 */
public final class MetadataParseBench {
    private MetadataParseBench() {
    }

    static String txtRecord(int i) {
        return "SensorTimestamp=" + (123456789000L + i * 66666666L) + "\nExposureTime=" + (19000 + i % 100)
                + "\nAnalogueGain=2.000000\nDigitalGain=1.002331\nColourGains=[ 1.812345, 1.523456 ]\n"
                + "ColourTemperature=4511\nLux=" + (210.123456 + i % 7) + "\nFrameDuration=66666\nSensorBlackLevels=[ 4096, 4096, 4096, 4096 ]\n"
                + "FocusFoM=1234\nAeLocked=true\nColourCorrectionMatrix=[ 1.700000, -0.500000, -0.200000, -0.300000, 1.600000, -0.300000, 0.000000, -0.600000, 1.600000 ]\n"
                + "ScalerCrop=(0, 0)/3280x2464\nSensorTemperature=41.000000\nAfState=0\nAfPauseState=0\n"
                + "ExposureTimeMode=0\nAnalogueGainMode=0\nSensorExposureTime=" + (19000 + i % 100) + "\n\n";
    }

    static String jsonRecord(int i) {
        return (i == 0 ? "[\n" : ",\n") + "{\n    \"SensorTimestamp\": " + (123456789000L + i * 66666666L)
                + ",\n    \"ExposureTime\": " + (19000 + i % 100) + ",\n    \"AnalogueGain\": 2.0,\n    \"DigitalGain\": 1.002331,\n"
                + "    \"ColourGains\": [ 1.812345, 1.523456 ],\n    \"ColourTemperature\": 4511,\n    \"Lux\": " + (210.123456 + i % 7)
                + ",\n    \"FrameDuration\": 66666,\n    \"SensorBlackLevels\": [ 4096, 4096, 4096, 4096 ],\n    \"FocusFoM\": 1234,\n"
                + "    \"AeLocked\": true,\n    \"ColourCorrectionMatrix\": [ 1.7, -0.5, -0.2, -0.3, 1.6, -0.3, 0.0, -0.6, 1.6 ],\n"
                + "    \"ScalerCrop\": [ 0, 0, 3280, 2464 ],\n    \"SensorTemperature\": 41.0,\n    \"AfState\": 0,\n"
                + "    \"ExposureTimeMode\": 0,\n    \"SensorExposureTime\": " + (19000 + i % 100) + "\n}";
    }

    static double nsPerRecord(String format, int records) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < records; i++) {
            sb.append(format.equals("txt") ? txtRecord(i) : jsonRecord(i));
        }
        byte[] stream = sb.toString().getBytes(StandardCharsets.US_ASCII);
        AtomicLong published = new AtomicLong();
        CameraMetadataPublisher pub = new CameraMetadataPublisher(r -> published.incrementAndGet(), Clock.systemUTC(), Duration.ofSeconds(1));
        MetadataParser parser = MetadataParser.forFormat(CameraMetadataConfig.Format.fromWire(format), pub);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long cpu0 = mx.getCurrentThreadCpuTime();
        for (int off = 0; off < stream.length; off += 4096) {
            parser.feed(stream, off, Math.min(4096, stream.length - off));
        }
        long cpu = mx.getCurrentThreadCpuTime() - cpu0;
        if (parser.records() != records || parser.skipped() != 0) {
            throw new IllegalStateException(format + ": parsed " + parser.records() + " of " + records + ", skipped " + parser.skipped());
        }
        return (double) cpu / records;
    }

    public static void main(String[] args) {
        int records = 900 * 20; // 20 minutes of frames at 15/s
        for (String format : new String[]{"txt", "json"}) {
            double cold = nsPerRecord(format, 900);
            System.out.printf("metadata %-4s: first minute (cold JIT): %.1f ms CPU for 900 records%n", format, cold * 900 / 1e6);
            for (int warm = 0; warm < 3; warm++) {
                nsPerRecord(format, records);
            }
            double best = Double.MAX_VALUE;
            double sum = 0;
            int runs = 5;
            for (int r = 0; r < runs; r++) {
                double ns = nsPerRecord(format, records);
                best = Math.min(best, ns);
                sum += ns;
            }
            double mean = sum / runs;
            System.out.printf("metadata %-4s: %6.1f us CPU per record (best %.1f); at 15 records/s: %.1f ms CPU per minute (%.3f %% of one core)%n",
                    format, mean / 1000, best / 1000, mean * 900 / 1e6, mean * 15 / 1e9 * 100);
        }
    }
}

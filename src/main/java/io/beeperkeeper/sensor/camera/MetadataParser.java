package io.beeperkeeper.sensor.camera;

import io.beeperkeeper.config.CameraMetadataConfig;

import java.util.Map;

/**
 * An incremental parser for one {@code rpicam-vid --metadata} stream: bytes go in as they arrive, in any
 * chunking (one byte at a time included), and every complete frame record comes out once. Garbage and
 * truncated records are skipped and counted, never thrown. Memory is bounded by a maximum record size.
 * One thread feeds it.
 */
public interface MetadataParser {
    /** Receives each complete record: control name to value (Double, Boolean or String as written). */
    @FunctionalInterface
    interface Listener {
        void onRecord(Map<String, Object> record);
    }

    void feed(byte[] data, int offset, int length);

    /** The writer went away (camera restarted): a half record is counted as truncated and dropped. */
    void endOfStream();

    long records();

    /** Records and runs of garbage that were skipped. */
    long skipped();

    static MetadataParser forFormat(CameraMetadataConfig.Format format, Listener listener) {
        return switch (format) {
            case TXT -> new TxtMetadataParser(listener);
            case JSON -> new JsonMetadataParser(listener);
        };
    }
}

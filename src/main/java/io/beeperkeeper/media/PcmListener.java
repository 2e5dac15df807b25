package io.beeperkeeper.media;

/**
 * Receives a camera's audio as raw PCM, decoded by the same ffmpeg process that encodes it for the
 * stream, so the microphone is opened once and feeds both the viewers and the sound-level meter.
 * Format: signed 16-bit little-endian, mono, {@link #SAMPLE_RATE} Hz; chunks may split a sample.
 */
@FunctionalInterface
public interface PcmListener {
    int SAMPLE_RATE = 16_000;

    void onPcm(byte[] data, int offset, int length);
}

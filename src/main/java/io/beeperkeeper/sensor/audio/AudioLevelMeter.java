package io.beeperkeeper.sensor.audio;

/**
 * RMS and peak level in dBFS over fixed windows (1 s by default) of signed 16-bit little-endian PCM, all
 * channels together. Pure: bytes in, one {@link Level} per completed window out; whoever captures the
 * microphone (the camera's audio pipeline, so one capture feeds stream and meter) calls {@link #feed}.
 * Full scale is 32768; a full-scale sine reads -3.01 dBFS RMS and 0 dBFS peak; digital silence reads
 * {@link #FLOOR_DB}. Bytes may arrive split anywhere, even inside a sample. One thread feeds it.
 */
public final class AudioLevelMeter {
    public static final double FLOOR_DB = -120.0;

    /** One window's level. */
    public record Level(double rmsDbfs, double peakDbfs, int samples) {
    }

    @FunctionalInterface
    public interface Listener {
        void onLevel(Level level);
    }

    private final long samplesPerWindow;
    private final Listener listener;
    private double sumSquares;
    private int peak;
    private long count;
    private int pendingLow = -1;

    public AudioLevelMeter(int sampleRate, int channels, double windowSeconds, Listener listener) {
        if (sampleRate <= 0 || channels <= 0 || windowSeconds <= 0) {
            throw new IllegalArgumentException("sample rate, channels and window must be positive");
        }
        this.samplesPerWindow = Math.max(1, Math.round(sampleRate * channels * windowSeconds));
        this.listener = listener;
    }

    public void feed(byte[] pcm, int offset, int length) {
        int i = offset;
        int end = offset + length;
        if (pendingLow >= 0 && i < end) {
            add((short) ((pcm[i++] << 8) | pendingLow));
            pendingLow = -1;
        }
        for (; i + 1 < end; i += 2) {
            add((short) ((pcm[i + 1] << 8) | (pcm[i] & 0xFF)));
        }
        if (i < end) {
            pendingLow = pcm[i] & 0xFF;
        }
    }

    private void add(short s) {
        sumSquares += (double) s * s;
        int a = Math.abs((int) s);
        if (a > peak) {
            peak = a;
        }
        if (++count == samplesPerWindow) {
            double rms = Math.sqrt(sumSquares / count) / 32768.0;
            listener.onLevel(new Level(db(rms), db(peak / 32768.0), (int) count));
            sumSquares = 0;
            peak = 0;
            count = 0;
        }
    }

    static double db(double ratio) {
        if (ratio <= 0) {
            return FLOOR_DB;
        }
        return Math.max(FLOOR_DB, 20 * Math.log10(ratio));
    }
}

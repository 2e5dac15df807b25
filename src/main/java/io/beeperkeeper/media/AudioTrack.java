package io.beeperkeeper.media;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The audio track of a stream.
 *
 * @param codec       {@link Codec#OPUS} or {@link Codec#AAC}
 * @param codecConfig for Opus the 19-byte OpusHead (RFC 7845, as in Ogg; the muxer turns it into
 *                    {@code dOps}); for AAC the AudioSpecificConfig (2 bytes for AAC-LC)
 */
public record AudioTrack(Codec codec, int sampleRate, int channels, byte[] codecConfig) {
    public enum Codec { OPUS, AAC }

    public AudioTrack {
        codecConfig = codecConfig.clone();
    }

    @Override
    public byte[] codecConfig() {
        return codecConfig.clone();
    }

    /** RFC 6381 codec string for MSE: {@code opus} or {@code mp4a.40.2} (AAC-LC). */
    public String codecString() {
        return codec == Codec.OPUS ? "opus" : "mp4a.40." + (codecConfig.length > 0 ? (codecConfig[0] & 0xFF) >> 3 : 2);
    }

    /** The clock rate used for this track in fMP4/RTP (Opus always 48 kHz). */
    public int timescale() {
        return codec == Codec.OPUS ? 48_000 : sampleRate;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AudioTrack a && a.codec == codec && a.sampleRate == sampleRate && a.channels == channels
                && Arrays.equals(a.codecConfig, codecConfig);
    }

    @Override
    public int hashCode() {
        return codec.hashCode() * 31 + Arrays.hashCode(codecConfig);
    }

    @Override
    public String toString() {
        return "AudioTrack[" + codec + " " + sampleRate + "Hz " + channels + "ch config=" + HexFormat.of().formatHex(codecConfig) + "]";
    }
}

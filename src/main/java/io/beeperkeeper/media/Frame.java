package io.beeperkeeper.media;

import java.util.List;

/**
 * One unit of media as the camera produced it, never transcoded.
 *
 * <ul>
 *   <li>Video: one H.264 access unit (one picture) as its list of NAL units <b>without start codes</b>
 *       (AUD, SEI and parameter sets are removed: SPS/PPS live in {@link VideoTrack}); {@code keyframe}
 *       is true for IDR pictures, which are where a viewer may start decoding.</li>
 *   <li>Audio: one codec packet (one Opus packet, or one raw AAC access unit without ADTS header) as
 *       the single element of {@code units}; {@code keyframe} is always true.</li>
 * </ul>
 *
 * @param timeUs       presentation = decode time (no B-frames on the live path) in microseconds on
 *                     the stream clock (see package doc)
 * @param durationUs   the frame's duration in microseconds (video: nominal 1/fps; audio: samples/rate)
 * @param receivedAtMs wall clock (epoch ms) when the hub finished reading the frame from the camera
 *                     process; used to measure relay latency
 */
public record Frame(MediaKind kind, long timeUs, long durationUs, boolean keyframe, List<byte[]> units, long receivedAtMs) {
    public Frame {
        units = List.copyOf(units);
        if (units.isEmpty()) {
            throw new IllegalArgumentException("a frame needs at least one unit");
        }
    }

    public boolean isVideo() {
        return kind == MediaKind.VIDEO;
    }

    /** Payload bytes without any framing. */
    public int size() {
        int n = 0;
        for (byte[] u : units) {
            n += u.length;
        }
        return n;
    }

    /** For audio: the packet. */
    public byte[] packet() {
        return units.get(0);
    }
}

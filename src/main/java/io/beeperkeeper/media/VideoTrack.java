package io.beeperkeeper.media;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The H.264 video track of a stream, as read from its SPS/PPS (never assumed from configuration).
 *
 * @param codecString RFC 6381 string for MSE/HLS, e.g. {@code avc1.42C01E}: profile_idc,
 *                    constraint flags and level_idc from the SPS as sent to viewers
 * @param profileIdc  66 baseline, 77 main, 100 high
 * @param levelIdc    e.g. 30 for level 3.0
 * @param fps         nominal frame rate (from the SPS timing info, else the camera's configuration)
 * @param sps         the SPS NAL unit as sent to viewers (without start code; may have been rewritten
 *                    to declare max_num_reorder_frames=0, see {@link io.beeperkeeper.media.h264.SpsRewriter})
 * @param pps         the PPS NAL unit without start code
 */
public record VideoTrack(String codecString, int profileIdc, int levelIdc, int width, int height, double fps,
                         byte[] sps, byte[] pps) {
    public static final String CODEC = "H264";

    public VideoTrack {
        sps = sps.clone();
        pps = pps.clone();
    }

    @Override
    public byte[] sps() {
        return sps.clone();
    }

    @Override
    public byte[] pps() {
        return pps.clone();
    }

    /** The codec family; only H.264 is relayed (browsers' MSE has no HEVC here). */
    public String codec() {
        return CODEC;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VideoTrack v && v.codecString.equals(codecString) && v.width == width && v.height == height
                && Double.compare(v.fps, fps) == 0 && Arrays.equals(v.sps, sps) && Arrays.equals(v.pps, pps);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sps) * 31 + Arrays.hashCode(pps);
    }

    @Override
    public String toString() {
        return "VideoTrack[" + codecString + " " + width + "x" + height + "@" + fps + " sps=" + HexFormat.of().formatHex(sps) + "]";
    }
}

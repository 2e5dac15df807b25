package io.beeperkeeper.media.h264;

import java.util.List;

/**
 * One H.264 picture as parsed from an Annex B byte stream: its NAL units without start codes (AUD
 * and parameter sets removed), the SPS/PPS that came with it (null if none), whether it is an IDR
 * picture and whether it contains a B-slice (which forbids the no-reordering SPS rewrite).
 */
public record AccessUnit(List<byte[]> nals, boolean keyframe, byte[] sps, byte[] pps, boolean hasBSlice) {
    public AccessUnit {
        nals = List.copyOf(nals);
    }
}

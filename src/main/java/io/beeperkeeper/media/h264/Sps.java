package io.beeperkeeper.media.h264;

import java.util.Set;

/**
 * The fields of an H.264 sequence parameter set that the relay needs (ITU-T H.264 7.3.2.1.1 and
 * Annex E.1.1): picture size, profile/level for the codec string, frame rate from the VUI timing
 * info, and whether the VUI's bitstream_restriction says how many frames a decoder may hold back.
 *
 * @param maxNumReorderFrames -1 when the SPS has no bitstream_restriction (a decoder must then assume
 *                            the level's whole DPB, which is what costs latency in Chrome)
 * @param fps                 0 when the SPS has no timing info
 */
public record Sps(int profileIdc, int constraintFlags, int levelIdc, int chromaFormatIdc, int maxNumRefFrames,
                  int width, int height, boolean vuiPresent, double fps, int maxNumReorderFrames,
                  int maxDecFrameBuffering) {

    private static final Set<Integer> HIGH_PROFILES = Set.of(100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135);

    /** RFC 6381 codec string such as {@code avc1.42C01E}. */
    public String codecString() {
        return String.format("avc1.%02X%02X%02X", profileIdc, constraintFlags, levelIdc);
    }

    /** Parses an SPS NAL unit (header byte included, no start code). */
    public static Sps parse(byte[] nal) {
        return parseWithLayout(nal).sps();
    }

    /** Bit positions inside the RBSP that {@link SpsRewriter} needs to patch the VUI. */
    record Layout(Sps sps, byte[] rbsp, int vuiFlagPos, int bitstreamRestrictionFlagPos, int maxNumRefFrames) {
    }

    static Layout parseWithLayout(byte[] nal) {
        if (nal.length < 4 || Nal.type(nal) != Nal.SPS) {
            throw new IllegalArgumentException("not an SPS NAL unit");
        }
        byte[] rbsp = Nal.unescape(nal);
        try {
            BitReader r = new BitReader(rbsp, 1);
            int profile = (int) r.u(8);
            int constraints = (int) r.u(8);
            int level = (int) r.u(8);
            r.ue(); // seq_parameter_set_id
            int chroma = 1;
            if (HIGH_PROFILES.contains(profile)) {
                chroma = r.ue();
                if (chroma == 3) {
                    r.u1(); // separate_colour_plane_flag
                }
                r.ue(); // bit_depth_luma_minus8
                r.ue(); // bit_depth_chroma_minus8
                r.u1(); // qpprime_y_zero_transform_bypass_flag
                if (r.flag()) { // seq_scaling_matrix_present_flag
                    for (int i = 0; i < (chroma != 3 ? 8 : 12); i++) {
                        if (r.flag()) {
                            skipScalingList(r, i < 6 ? 16 : 64);
                        }
                    }
                }
            }
            r.ue(); // log2_max_frame_num_minus4
            int pocType = r.ue();
            if (pocType == 0) {
                r.ue();
            } else if (pocType == 1) {
                r.u1();
                r.se();
                r.se();
                int n = r.ue();
                for (int i = 0; i < n; i++) {
                    r.se();
                }
            }
            int maxRefFrames = r.ue();
            r.u1(); // gaps_in_frame_num_value_allowed_flag
            int widthMbs = r.ue() + 1;
            int heightMapUnits = r.ue() + 1;
            boolean frameMbsOnly = r.flag();
            if (!frameMbsOnly) {
                r.u1(); // mb_adaptive_frame_field_flag
            }
            r.u1(); // direct_8x8_inference_flag
            int cropLeft = 0, cropRight = 0, cropTop = 0, cropBottom = 0;
            if (r.flag()) {
                cropLeft = r.ue();
                cropRight = r.ue();
                cropTop = r.ue();
                cropBottom = r.ue();
            }
            int subWidthC = chroma == 1 || chroma == 2 ? 2 : 1;
            int subHeightC = chroma == 1 ? 2 : 1;
            int cropUnitX = chroma == 0 ? 1 : subWidthC;
            int cropUnitY = (chroma == 0 ? 1 : subHeightC) * (frameMbsOnly ? 1 : 2);
            int width = widthMbs * 16 - cropUnitX * (cropLeft + cropRight);
            int height = (frameMbsOnly ? 1 : 2) * heightMapUnits * 16 - cropUnitY * (cropTop + cropBottom);

            int vuiFlagPos = r.position();
            boolean vui = r.flag();
            double fps = 0;
            int reorder = -1;
            int decBuffering = -1;
            int restrictionPos = -1;
            if (vui) {
                if (r.flag()) { // aspect_ratio_info_present_flag
                    if (r.u(8) == 255) {
                        r.u(16);
                        r.u(16);
                    }
                }
                if (r.flag()) {
                    r.u1(); // overscan_appropriate_flag
                }
                if (r.flag()) { // video_signal_type_present_flag
                    r.u(3);
                    r.u1();
                    if (r.flag()) {
                        r.u(24);
                    }
                }
                if (r.flag()) { // chroma_loc_info_present_flag
                    r.ue();
                    r.ue();
                }
                if (r.flag()) { // timing_info_present_flag
                    long unitsInTick = r.u(32);
                    long timeScale = r.u(32);
                    r.u1(); // fixed_frame_rate_flag
                    if (unitsInTick > 0) {
                        fps = timeScale / (2.0 * unitsInTick);
                    }
                }
                boolean nalHrd = r.flag();
                if (nalHrd) {
                    skipHrd(r);
                }
                boolean vclHrd = r.flag();
                if (vclHrd) {
                    skipHrd(r);
                }
                if (nalHrd || vclHrd) {
                    r.u1(); // low_delay_hrd_flag
                }
                r.u1(); // pic_struct_present_flag
                restrictionPos = r.position();
                if (r.flag()) {
                    r.u1(); // motion_vectors_over_pic_boundaries_flag
                    r.ue(); // max_bytes_per_pic_denom
                    r.ue(); // max_bits_per_mb_denom
                    r.ue(); // log2_max_mv_length_horizontal
                    r.ue(); // log2_max_mv_length_vertical
                    reorder = r.ue();
                    decBuffering = r.ue();
                }
            }
            Sps sps = new Sps(profile, constraints, level, chroma, maxRefFrames, width, height, vui, fps, reorder, decBuffering);
            return new Layout(sps, rbsp, vuiFlagPos, restrictionPos, maxRefFrames);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed SPS: " + e.getMessage(), e);
        }
    }

    private static void skipScalingList(BitReader r, int size) {
        int last = 8, next = 8;
        for (int j = 0; j < size; j++) {
            if (next != 0) {
                next = (last + r.se() + 256) % 256;
            }
            last = next == 0 ? last : next;
        }
    }

    private static void skipHrd(BitReader r) {
        int cpbCnt = r.ue() + 1;
        r.u(4);
        r.u(4);
        for (int i = 0; i < cpbCnt; i++) {
            r.ue();
            r.ue();
            r.u1();
        }
        r.u(20); // four 5-bit lengths
    }
}

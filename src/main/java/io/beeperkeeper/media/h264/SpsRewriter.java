package io.beeperkeeper.media.h264;

/**
 * Makes an SPS tell decoders that no frame is ever reordered (max_num_reorder_frames = 0), so a
 * browser outputs each picture as soon as it is decoded.
 *
 * <p>Why: Chrome's H.264 decoder holds back as many frames as the SPS allows to be reordered, and an
 * SPS without VUI {@code bitstream_restriction} (usual from hardware encoders such as the Pi's) lets
 * it hold the level's whole DPB, up to 16 frames, i.e. a second at 15 fps. Only valid for streams
 * without B-frames, which is what the live path carries; the caller stops rewriting if it ever sees
 * a B-slice.
 *
 * <p>How: everything before the VUI flag (or before bitstream_restriction_flag when a VUI exists) is
 * copied bit for bit; then the restriction is written with max_num_reorder_frames = 0 and
 * max_dec_frame_buffering = max_num_ref_frames, followed by new trailing bits. Emulation prevention
 * is removed before and added back after.
 */
public final class SpsRewriter {
    private SpsRewriter() {
    }

    /** The rewritten SPS NAL unit, or the same array if it already says max_num_reorder_frames = 0. */
    public static byte[] withoutReordering(byte[] spsNal) {
        Sps.Layout layout = Sps.parseWithLayout(spsNal);
        Sps sps = layout.sps();
        if (sps.maxNumReorderFrames() == 0) {
            return spsNal;
        }
        byte[] rbsp = layout.rbsp();
        BitWriter w = new BitWriter();
        if (sps.vuiPresent()) {
            w.copy(rbsp, 0, layout.bitstreamRestrictionFlagPos());
        } else {
            w.copy(rbsp, 0, layout.vuiFlagPos());
            w.u1(1); // vui_parameters_present_flag
            w.u1(0); // aspect_ratio_info_present_flag
            w.u1(0); // overscan_info_present_flag
            w.u1(0); // video_signal_type_present_flag
            w.u1(0); // chroma_loc_info_present_flag
            w.u1(0); // timing_info_present_flag
            w.u1(0); // nal_hrd_parameters_present_flag
            w.u1(0); // vcl_hrd_parameters_present_flag
            w.u1(0); // pic_struct_present_flag
        }
        w.u1(1); // bitstream_restriction_flag
        w.u1(1); // motion_vectors_over_pic_boundaries_flag
        w.ue(2); // max_bytes_per_pic_denom (the value inferred when absent)
        w.ue(1); // max_bits_per_mb_denom (inferred value)
        w.ue(15); // log2_max_mv_length_horizontal (inferred value: no restriction)
        w.ue(15); // log2_max_mv_length_vertical
        w.ue(0); // max_num_reorder_frames
        w.ue(Math.max(1, layout.maxNumRefFrames())); // max_dec_frame_buffering >= max_num_ref_frames
        return Nal.escape(w.finishRbsp());
    }

    /**
     * The SPS with its VUI removed, as hardware encoders (the Pi's among them) write it. Used by the
     * benchmark to measure what the rewrite saves on a stream from x264, which already has the VUI.
     */
    public static byte[] withoutVui(byte[] spsNal) {
        Sps.Layout layout = Sps.parseWithLayout(spsNal);
        BitWriter w = new BitWriter();
        w.copy(layout.rbsp(), 0, layout.vuiFlagPos());
        w.u1(0);
        return Nal.escape(w.finishRbsp());
    }
}

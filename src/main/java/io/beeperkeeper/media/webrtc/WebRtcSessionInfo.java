package io.beeperkeeper.media.webrtc;

/**
 * A snapshot of one WebRTC viewer for health and diagnostics.
 *
 * @param skips            times the viewer fell behind and skipped to the next keyframe
 * @param keyframeRestarts restarts from the GOP cache's keyframe after a PLI/FIR
 * @param retransmissions  packets resent after a NACK
 */
record WebRtcSessionInfo(String id, String camera, String remote, boolean connected, long framesSent, long skips,
                                long keyframeRestarts, long retransmissions, boolean audio) {
}

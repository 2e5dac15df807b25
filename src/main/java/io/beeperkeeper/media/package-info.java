/**
 * Live video: the frame model every output reads ({@link io.beeperkeeper.media.Frame},
 * {@link io.beeperkeeper.media.VideoTrack}, {@link io.beeperkeeper.media.AudioTrack},
 * {@link io.beeperkeeper.media.Stream}), H.264 parsing, the fMP4 muxer, camera supervisors and the
 * outputs (MSE over WebSocket, snapshots).
 *
 * <h2>Clock</h2>
 * Every timestamp in this package is in <b>microseconds</b> ({@code timeUs}) on the stream's own
 * monotonic clock, which starts near 0 when the camera process (re)starts and only grows. Outputs
 * convert: fMP4 and RTP video use 90 kHz ({@code timeUs * 9 / 100}), Opus audio 48 kHz
 * ({@code timeUs * 48 / 1000}), AAC its sample rate. After a camera restart the clock continues from
 * where it was (it never jumps back), so a subscriber never sees time go backwards.
 */
package io.beeperkeeper.media;

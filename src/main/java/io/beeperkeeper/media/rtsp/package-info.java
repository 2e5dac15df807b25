/**
 * RTSP out: each camera at {@code rtsp://<hub>:8554/<camera>} for Home Assistant, Frigate, VLC and NVRs.
 * RTSP 1.0 messages are parsed by Netty's codec; the media is the camera's own H.264 and audio from
 * {@link io.beeperkeeper.media.Stream}, packetized by the same {@link io.beeperkeeper.media.webrtc.RtpPacketizer}
 * WebRTC uses, never transcoded.
 */
package io.beeperkeeper.media.rtsp;

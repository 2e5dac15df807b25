/**
 * WebRTC egress (WHEP) served by the hub itself from the camera's H.264 and Opus frames, without
 * transcoding: SDP negotiation from the camera's real tracks ({@link io.beeperkeeper.media.webrtc.WhepNegotiator}),
 * RTP packetization ({@link io.beeperkeeper.media.webrtc.RtpPacketizer}), ICE-lite STUN, DTLS-SRTP
 * (BouncyCastle bctls, Jitsi's jitsi-srtp) on one UDP port for all sessions
 * ({@link io.beeperkeeper.media.webrtc.WebRtcServer}), and the HTTP endpoints
 * ({@link io.beeperkeeper.media.webrtc.WhepModule}).
 *
 * <p>Public surface: {@code WebRtcServer} (construct with the config and a {@link io.beeperkeeper.media.webrtc.CameraStreams}
 * lookup; close at shutdown), {@code WhepModule} (a {@code web.WebModule}), {@code WebRtcCapability}
 * (for {@code /api/cameras}). Everything else is package-private machinery.
 */
package io.beeperkeeper.media.webrtc;

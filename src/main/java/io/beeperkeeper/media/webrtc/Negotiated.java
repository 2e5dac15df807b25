package io.beeperkeeper.media.webrtc;

/**
 * The outcome of answering one WHEP offer: the answer text and what the transport needs to send
 * (payload types chosen from the browser's offer, the browser's ICE and DTLS identity).
 *
 * @param audioPayloadType -1 when no audio is sent (camera without Opus, or the offer had no usable audio)
 * @param playoutDelayExtId the offer's id for the playout-delay RTP header extension, or -1
 * @param remoteFingerprint the offer's {@code a=fingerprint} (hash name, space, hex) to check the
 *                          browser's DTLS certificate against
 */
record Negotiated(String answer, int videoPayloadType, int audioPayloadType, String remoteUfrag, String remotePwd,
                         String remoteFingerprint, String audioNote,
                         int playoutDelayExtId) {
    public boolean sendsAudio() {
        return audioPayloadType >= 0;
    }
}

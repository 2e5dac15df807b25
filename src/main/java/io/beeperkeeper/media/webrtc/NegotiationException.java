package io.beeperkeeper.media.webrtc;

/**
 * An offer the hub cannot answer: why ({@link WebRtcServer.Reason#MALFORMED_OFFER} or
 * {@link WebRtcServer.Reason#NO_COMMON_CODEC}) and a message that names what the client must change.
 */
final class NegotiationException extends Exception {
    private final WebRtcServer.Reason reason;

    NegotiationException(WebRtcServer.Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    WebRtcServer.Reason reason() {
        return reason;
    }
}

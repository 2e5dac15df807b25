package io.beeperkeeper.media.webrtc;

/**
 * An offer the hub cannot answer, with the HTTP status WHEP should return (400 malformed offer,
 * 406 no codec in common) and a message that names what the client must change.
 */
public final class NegotiationException extends Exception {
    private final int status;

    public NegotiationException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}

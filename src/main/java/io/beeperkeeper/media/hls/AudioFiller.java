package io.beeperkeeper.media.hls;

import io.beeperkeeper.media.AudioTrack;
import io.beeperkeeper.media.Frame;

/**
 * A sound packet that fills a gap in a camera's LL-HLS sound, so the player's buffered range stays whole
 * while the sound comes late. Opus: the last packet's header with no audio data, as many frames as it
 * had (RFC 6716 3.2: zero-length frames, which a decoder conceals as lost, fading to silence). AAC: the
 * last packet again (any valid frame of the stream decodes; there is no empty one).
 */
final class AudioFiller {
    /** For a stream without sound: no packet to fill with. */
    static final AudioFiller NONE = new AudioFiller(null);

    private final AudioTrack.Codec codec;
    private byte[] last;

    AudioFiller(AudioTrack track) {
        this.codec = track == null ? null : track.codec();
    }

    /** Remembers the packet that the next filler follows. */
    void follow(Frame packet) {
        if (codec != null && !packet.units().isEmpty() && packet.units().get(0).length > 0) {
            last = packet.units().get(0);
        }
    }

    /** A packet as long as the last one, or an empty array before the first. */
    byte[] filler() {
        if (last == null) {
            return new byte[0];
        }
        if (codec == AudioTrack.Codec.AAC) {
            return last;
        }
        return opusSilence(last);
    }

    /** The Opus packet with {@code packet}'s configuration and frame count, every frame empty. */
    static byte[] opusSilence(byte[] packet) {
        int toc = packet[0] & 0xFC;
        return switch (packet[0] & 0x03) {
            case 0 -> new byte[]{(byte) toc};
            case 1, 2 -> new byte[]{(byte) (toc | 1)}; // two frames of equal (zero) size
            default -> new byte[]{(byte) (toc | 3), (byte) (packet.length > 1 ? packet[1] & 0x3F : 1)}; // M frames, CBR, no padding
        };
    }
}

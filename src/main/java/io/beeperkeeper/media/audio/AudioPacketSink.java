package io.beeperkeeper.media.audio;

import io.beeperkeeper.media.AudioTrack;

/** Receives the audio track description once, then codec packets with their length in samples. */
public interface AudioPacketSink {
    void onTrack(AudioTrack track);

    /** @param samples samples per channel in the packet, at {@link AudioTrack#timescale()} */
    void onPacket(byte[] packet, int samples);
}

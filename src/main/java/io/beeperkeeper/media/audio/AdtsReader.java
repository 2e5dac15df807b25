package io.beeperkeeper.media.audio;

import io.beeperkeeper.media.AudioTrack;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads AAC frames from an ADTS stream (ISO/IEC 13818-7 / 14496-3), as ffmpeg writes it with
 * {@code -f adts}: each raw frame (header stripped) is one packet of 1024 samples; the first header
 * gives the AudioSpecificConfig. Resynchronises on the 0xFFF sync word after garbage.
 */
public final class AdtsReader {
    private static final int[] RATES = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350};
    private final AudioPacketSink sink;
    private AudioTrack track;

    public AdtsReader(AudioPacketSink sink) {
        this.sink = sink;
    }

    public void run(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        byte[] h = new byte[7];
        while (true) {
            try {
                d.readFully(h, 0, 2);
                while ((h[0] & 0xFF) != 0xFF || (h[1] & 0xF6) != 0xF0) {
                    h[0] = h[1];
                    h[1] = d.readByte();
                }
                d.readFully(h, 2, 5);
            } catch (EOFException e) {
                return;
            }
            boolean crc = (h[1] & 1) == 0;
            int objectType = ((h[2] & 0xFF) >> 6) + 1;
            int rateIndex = ((h[2] & 0xFF) >> 2) & 0xF;
            int channels = ((h[2] & 1) << 2) | ((h[3] & 0xFF) >> 6);
            int length = ((h[3] & 3) << 11) | ((h[4] & 0xFF) << 3) | ((h[5] & 0xFF) >> 5);
            int headerLen = crc ? 9 : 7;
            if (rateIndex >= RATES.length || length < headerLen) {
                continue;
            }
            if (crc) {
                d.readFully(new byte[2]);
            }
            byte[] frame = new byte[length - headerLen];
            d.readFully(frame);
            if (track == null) {
                byte[] asc = {(byte) ((objectType << 3) | (rateIndex >> 1)), (byte) (((rateIndex & 1) << 7) | (channels << 3))};
                track = new AudioTrack(AudioTrack.Codec.AAC, RATES[rateIndex], channels, asc);
                sink.onTrack(track);
            }
            sink.onPacket(frame, 1024);
        }
    }
}

package io.beeperkeeper.media.audio;

import io.beeperkeeper.media.AudioTrack;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads Opus packets from an Ogg stream (RFC 3533, RFC 7845), as ffmpeg writes it with
 * {@code -f ogg}: the OpusHead becomes the track's codec config, OpusTags is skipped, every other
 * packet is handed on with its duration from the TOC byte (RFC 6716 3.1). One logical stream only.
 */
public final class OggOpusReader {
    private final AudioPacketSink sink;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private int packetIndex;

    public OggOpusReader(AudioPacketSink sink) {
        this.sink = sink;
    }

    public void run(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        byte[] header = new byte[27];
        while (true) {
            try {
                d.readFully(header);
            } catch (EOFException e) {
                return;
            }
            if (header[0] != 'O' || header[1] != 'g' || header[2] != 'g' || header[3] != 'S') {
                throw new IOException("not an Ogg stream (no OggS capture pattern)");
            }
            int segments = header[26] & 0xFF;
            byte[] lacing = new byte[segments];
            d.readFully(lacing);
            for (int i = 0; i < segments; i++) {
                int size = lacing[i] & 0xFF;
                byte[] seg = new byte[size];
                d.readFully(seg);
                partial.write(seg);
                if (size < 255) {
                    packet(partial.toByteArray());
                    partial.reset();
                }
            }
            if (partial.size() > 1 << 20) {
                throw new IOException("Ogg packet larger than 1 MiB");
            }
        }
    }

    private void packet(byte[] p) throws IOException {
        int index = packetIndex++;
        if (index == 0) {
            if (p.length < 19 || !new String(p, 0, 8, StandardCharsets.US_ASCII).equals("OpusHead")) {
                throw new IOException("Ogg stream does not carry Opus (no OpusHead)");
            }
            long rate = (p[12] & 0xFFL) | (p[13] & 0xFFL) << 8 | (p[14] & 0xFFL) << 16 | (p[15] & 0xFFL) << 24;
            sink.onTrack(new AudioTrack(AudioTrack.Codec.OPUS, (int) rate, p[9] & 0xFF, p));
        } else if (index == 1) {
            return; // OpusTags
        } else if (p.length > 0) {
            sink.onPacket(p, samples(p));
        }
    }

    /** Samples at 48 kHz in an Opus packet, from its TOC byte. */
    static int samples(byte[] p) {
        int config = (p[0] & 0xFF) >> 3;
        int frame; // in 1/400 s units * 48000/400 = 120 samples
        if (config < 12) {
            frame = new int[] {480, 960, 1920, 2880}[config & 3];
        } else if (config < 16) {
            frame = (config & 1) == 0 ? 480 : 960;
        } else {
            frame = new int[] {120, 240, 480, 960}[config & 3];
        }
        int code = p[0] & 3;
        int count = code == 0 ? 1 : code < 3 ? 2 : (p.length > 1 ? p[1] & 0x3F : 1);
        return frame * count;
    }
}

package io.beeperkeeper.media.mp4;

import io.beeperkeeper.media.AudioTrack;
import io.beeperkeeper.media.VideoTrack;

import java.nio.charset.StandardCharsets;

/**
 * The ISO BMFF boxes that the fragmented muxer ({@link Fmp4Muxer}) and the moov-first file writer
 * ({@link Mp4FileWriter}) share: file type, movie and track headers, and the sample entries of the
 * H.264, Opus and AAC tracks. Durations are on each box's own clock; 0 means "not known" (fragments).
 */
final class Mp4Boxes {
    static final int VIDEO_TRACK_ID = 1;
    static final int AUDIO_TRACK_ID = 2;
    static final int VIDEO_TIMESCALE = 90_000;
    static final int MOVIE_TIMESCALE = 1_000;

    private Mp4Boxes() {
    }

    static void ftyp(BoxWriter w, String... compatible) {
        w.start("ftyp").fourcc("isom").u32(0x200);
        for (String brand : compatible) {
            w.fourcc(brand);
        }
        w.end();
    }

    /** mvhd (version 1 when the duration needs 64 bits). */
    static void mvhd(BoxWriter w, long durationMs, int nextTrackId) {
        boolean wide = durationMs > 0xFFFFFFFFL;
        w.startFull("mvhd", wide ? 1 : 0, 0);
        times(w, wide, MOVIE_TIMESCALE, durationMs);
        w.u32(0x00010000).u16(0x0100).zeros(10);
        matrix(w);
        w.zeros(24).u32(nextTrackId).end();
    }

    static void tkhd(BoxWriter w, int id, boolean audio, int width, int height, long durationMs) {
        boolean wide = durationMs > 0xFFFFFFFFL;
        w.startFull("tkhd", wide ? 1 : 0, 3);
        if (wide) {
            w.u64(0).u64(0).u32(id).u32(0).u64(durationMs);
        } else {
            w.u32(0).u32(0).u32(id).u32(0).u32(durationMs);
        }
        w.zeros(8).u16(0).u16(audio ? 1 : 0).u16(audio ? 0x0100 : 0).u16(0);
        matrix(w);
        w.u32((long) width << 16).u32((long) height << 16).end();
    }

    static void mdhdHdlr(BoxWriter w, int timescale, long duration, boolean audio) {
        boolean wide = duration > 0xFFFFFFFFL;
        w.startFull("mdhd", wide ? 1 : 0, 0);
        times(w, wide, timescale, duration);
        w.u16(0x55C4).u16(0).end(); // language "und"
        w.startFull("hdlr", 0, 0).u32(0).fourcc(audio ? "soun" : "vide").zeros(12).fourcc(audio ? "Sound" : "Video")
                .u8(0).end();
    }

    /** vmhd or smhd, then dinf with its one self-contained data reference. */
    static void mediaHeaderAndDinf(BoxWriter w, boolean audio) {
        if (audio) {
            w.startFull("smhd", 0, 0).u32(0).end();
        } else {
            w.startFull("vmhd", 0, 1).zeros(8).end();
        }
        w.start("dinf").startFull("dref", 0, 0).u32(1).startFull("url ", 0, 1).end().end().end();
    }

    /** stsd with the track's one sample entry. */
    static void stsd(BoxWriter w, VideoTrack v) {
        w.startFull("stsd", 0, 0).u32(1);
        byte[] sps = v.sps();
        byte[] pps = v.pps();
        w.start("avc1").zeros(6).u16(1).zeros(16).u16(v.width()).u16(v.height())
                .u32(0x00480000).u32(0x00480000).u32(0).u16(1).zeros(32).u16(0x0018).u16(0xFFFF);
        w.start("avcC").u8(1).u8(sps[1]).u8(sps[2]).u8(sps[3]).u8(0xFF).u8(0xE1)
                .u16(sps.length).bytes(sps).u8(1).u16(pps.length).bytes(pps).end();
        w.end();
        w.end();
    }

    static void stsd(BoxWriter w, AudioTrack a) {
        w.startFull("stsd", 0, 0).u32(1);
        boolean opus = a.codec() == AudioTrack.Codec.OPUS;
        w.start(opus ? "Opus" : "mp4a").zeros(6).u16(1).zeros(8).u16(a.channels()).u16(16).u16(0).u16(0)
                .u32((long) a.timescale() << 16);
        byte[] config = a.codecConfig();
        if (opus) {
            dOps(w, config);
        } else {
            esds(w, config);
        }
        w.end();
        w.end();
    }

    private static void times(BoxWriter w, boolean wide, int timescale, long duration) {
        if (wide) {
            w.u64(0).u64(0).u32(timescale).u64(duration);
        } else {
            w.u32(0).u32(0).u32(timescale).u32(duration);
        }
    }

    private static void matrix(BoxWriter w) {
        w.u32(0x00010000).u32(0).u32(0).u32(0).u32(0x00010000).u32(0).u32(0).u32(0).u32(0x40000000);
    }

    /** Opus-in-ISOBMFF dOps from an OpusHead (same fields, but big-endian and without the magic). */
    private static void dOps(BoxWriter w, byte[] head) {
        if (head.length < 19 || !new String(head, 0, 8, StandardCharsets.US_ASCII).equals("OpusHead")) {
            throw new IllegalArgumentException("Opus codec config must be an OpusHead");
        }
        int channels = head[9] & 0xFF;
        int preSkip = (head[10] & 0xFF) | (head[11] & 0xFF) << 8;
        long rate = (head[12] & 0xFFL) | (head[13] & 0xFFL) << 8 | (head[14] & 0xFFL) << 16 | (head[15] & 0xFFL) << 24;
        int gain = (head[16] & 0xFF) | (head[17] & 0xFF) << 8;
        int family = head[18] & 0xFF;
        w.start("dOps").u8(0).u8(channels).u16(preSkip).u32(rate).u16(gain).u8(family);
        if (family != 0) {
            for (int i = 19; i < head.length; i++) {
                w.u8(head[i]);
            }
        }
        w.end();
    }

    private static void esds(BoxWriter w, byte[] asc) {
        w.startFull("esds", 0, 0);
        w.u8(0x03).u8(23 + asc.length).u16(AUDIO_TRACK_ID).u8(0);
        w.u8(0x04).u8(15 + asc.length).u8(0x40).u8(0x15).u24(0).u32(0).u32(0);
        w.u8(0x05).u8(asc.length).bytes(asc);
        w.u8(0x06).u8(1).u8(0x02);
        w.end();
    }
}

package io.beeperkeeper.media.mp4;

import io.beeperkeeper.media.AudioTrack;
import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.Tracks;
import io.beeperkeeper.media.VideoTrack;

/**
 * Fragmented MP4 (ISO/IEC 14496-12) for MSE and LL-HLS: an init segment ({@code ftyp}+{@code moov}
 * with {@code avcC} and the audio config as Opus {@code dOps} or AAC {@code esds}) and one
 * {@code moof}+{@code mdat} per frame, each with a {@code tfdt}, so a frame can leave the hub the
 * moment it arrives.
 *
 * <p>Why hand-written: the Java MP4 libraries (mp4parser/isoparser, JCodec) are unmaintained, build
 * whole files in memory or cannot write fragments of one sample with Opus; ffmpeg as a muxer would
 * emit a fragment per GOP (a second of latency, see FIELD-NOTES) and cost a process per camera. The
 * subset needed for live H.264/Opus/AAC is about 200 lines and is checked by ffprobe in the tests.
 *
 * <p>Track 1 is video (timescale 90 kHz), track 2 audio (timescale 48 kHz for Opus, the sample rate
 * for AAC). Stateless apart from the fragment sequence number; not thread safe.
 */
public final class Fmp4Muxer {
    public static final int VIDEO_TRACK_ID = 1;
    public static final int AUDIO_TRACK_ID = 2;
    public static final int VIDEO_TIMESCALE = 90_000;

    private final Tracks tracks;
    private int sequence;

    public Fmp4Muxer(Tracks tracks) {
        this.tracks = tracks;
    }

    public Tracks tracks() {
        return tracks;
    }

    /** ftyp + moov for the tracks. */
    public byte[] initSegment() {
        BoxWriter w = new BoxWriter(1024);
        w.start("ftyp").fourcc("isom").u32(0x200).fourcc("isom").fourcc("iso6").fourcc("avc1").fourcc("mp41").end();
        w.start("moov");
        w.startFull("mvhd", 0, 0).u32(0).u32(0).u32(1000).u32(0).u32(0x00010000).u16(0x0100).zeros(10);
        matrix(w);
        w.zeros(24).u32(tracks.audio().isPresent() ? 3 : 2).end();
        videoTrak(w, tracks.video());
        tracks.audio().ifPresent(a -> audioTrak(w, a));
        w.start("mvex");
        trex(w, VIDEO_TRACK_ID);
        if (tracks.audio().isPresent()) {
            trex(w, AUDIO_TRACK_ID);
        }
        w.end();
        w.end();
        return w.toByteArray();
    }

    /** One moof + mdat holding the frame; the decode time is the frame's time on the track's clock. */
    public byte[] fragment(Frame frame) {
        boolean video = frame.isVideo();
        if (!video && tracks.audio().isEmpty()) {
            throw new IllegalArgumentException("audio frame for a stream without audio");
        }
        int timescale = video ? VIDEO_TIMESCALE : tracks.audio().get().timescale();
        long decodeTime = frame.timeUs() * timescale / 1_000_000;
        long duration = Math.max(1, frame.durationUs() * timescale / 1_000_000);
        int payload = video ? frame.size() + 4 * frame.units().size() : frame.size();

        BoxWriter w = new BoxWriter(128 + payload);
        int moofStart = w.position();
        w.start("moof");
        w.startFull("mfhd", 0, 0).u32(++sequence).end();
        w.start("traf");
        w.startFull("tfhd", 0, 0x020000).u32(video ? VIDEO_TRACK_ID : AUDIO_TRACK_ID).end(); // default-base-is-moof
        w.startFull("tfdt", 1, 0).u64(decodeTime).end();
        w.startFull("trun", 0, 0x000701).u32(1); // data-offset, duration, size, flags present
        int dataOffsetAt = w.position();
        w.u32(0).u32(duration).u32(payload)
                .u32(!video || frame.keyframe() ? 0x02000000 : 0x01010000) // depends on nothing / non-sync
                .end();
        w.end();
        w.end();
        w.putU32(dataOffsetAt, w.position() - moofStart + 8);
        w.u32(8L + payload).fourcc("mdat");
        if (video) {
            for (byte[] nal : frame.units()) {
                w.u32(nal.length).bytes(nal);
            }
        } else {
            w.bytes(frame.packet());
        }
        return w.toByteArray();
    }

    private static void matrix(BoxWriter w) {
        w.u32(0x00010000).u32(0).u32(0).u32(0).u32(0x00010000).u32(0).u32(0).u32(0).u32(0x40000000);
    }

    private static void tkhd(BoxWriter w, int id, boolean audio, int width, int height) {
        w.startFull("tkhd", 0, 3).u32(0).u32(0).u32(id).u32(0).u32(0).zeros(8).u16(0).u16(audio ? 1 : 0)
                .u16(audio ? 0x0100 : 0).u16(0);
        matrix(w);
        w.u32((long) width << 16).u32((long) height << 16).end();
    }

    private static void mdhdHdlr(BoxWriter w, int timescale, String handler, String name) {
        w.startFull("mdhd", 0, 0).u32(0).u32(0).u32(timescale).u32(0).u16(0x55C4).u16(0).end(); // language "und"
        w.startFull("hdlr", 0, 0).u32(0).fourcc(handler).zeros(12).fourcc(name).u8(0).end();
    }

    private static void dinfAndEmptyTables(BoxWriter w, Runnable stsdEntry) {
        w.start("dinf").startFull("dref", 0, 0).u32(1).startFull("url ", 0, 1).end().end().end();
        w.start("stbl");
        w.startFull("stsd", 0, 0).u32(1);
        stsdEntry.run();
        w.end();
        w.startFull("stts", 0, 0).u32(0).end();
        w.startFull("stsc", 0, 0).u32(0).end();
        w.startFull("stsz", 0, 0).u32(0).u32(0).end();
        w.startFull("stco", 0, 0).u32(0).end();
        w.end();
    }

    private static void videoTrak(BoxWriter w, VideoTrack v) {
        w.start("trak");
        tkhd(w, VIDEO_TRACK_ID, false, v.width(), v.height());
        w.start("mdia");
        mdhdHdlr(w, VIDEO_TIMESCALE, "vide", "Video");
        w.start("minf");
        w.startFull("vmhd", 0, 1).zeros(8).end();
        dinfAndEmptyTables(w, () -> {
            byte[] sps = v.sps();
            byte[] pps = v.pps();
            w.start("avc1").zeros(6).u16(1).zeros(16).u16(v.width()).u16(v.height())
                    .u32(0x00480000).u32(0x00480000).u32(0).u16(1).zeros(32).u16(0x0018).u16(0xFFFF);
            w.start("avcC").u8(1).u8(sps[1]).u8(sps[2]).u8(sps[3]).u8(0xFF).u8(0xE1)
                    .u16(sps.length).bytes(sps).u8(1).u16(pps.length).bytes(pps).end();
            w.end();
        });
        w.end().end().end();
    }

    private static void audioTrak(BoxWriter w, AudioTrack a) {
        w.start("trak");
        tkhd(w, AUDIO_TRACK_ID, true, 0, 0);
        w.start("mdia");
        mdhdHdlr(w, a.timescale(), "soun", "Sound");
        w.start("minf");
        w.startFull("smhd", 0, 0).u32(0).end();
        dinfAndEmptyTables(w, () -> {
            boolean opus = a.codec() == AudioTrack.Codec.OPUS;
            w.start(opus ? "Opus" : "mp4a").zeros(6).u16(1).zeros(8).u16(a.channels()).u16(16).u16(0).u16(0)
                    .u32((long) a.timescale() << 16);
            byte[] config = a.codecConfig();
            if (opus) {
                dOps(w, config, a);
            } else {
                esds(w, config);
            }
            w.end();
        });
        w.end().end().end();
    }

    /** Opus-in-ISOBMFF dOps from an OpusHead (same fields, but big-endian and without the magic). */
    private static void dOps(BoxWriter w, byte[] head, AudioTrack a) {
        if (head.length < 19 || !new String(head, 0, 8, java.nio.charset.StandardCharsets.US_ASCII).equals("OpusHead")) {
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

    private static void trex(BoxWriter w, int id) {
        w.startFull("trex", 0, 0).u32(id).u32(1).u32(0).u32(0).u32(0).end();
    }
}

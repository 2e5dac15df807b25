package io.beeperkeeper.media.mp4;

import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.Tracks;

import java.io.ByteArrayOutputStream;

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
    public static final int VIDEO_TRACK_ID = Mp4Boxes.VIDEO_TRACK_ID;
    public static final int AUDIO_TRACK_ID = Mp4Boxes.AUDIO_TRACK_ID;
    public static final int VIDEO_TIMESCALE = Mp4Boxes.VIDEO_TIMESCALE;

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
        Mp4Boxes.ftyp(w, "isom", "iso6", "avc1", "mp41");
        w.start("moov");
        Mp4Boxes.mvhd(w, 0, tracks.audio().isPresent() ? 3 : 2);
        trak(w, false, () -> Mp4Boxes.stsd(w, tracks.video()));
        tracks.audio().ifPresent(a -> trak(w, true, () -> Mp4Boxes.stsd(w, a)));
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
        return fragment(frame, frame.durationUs());
    }

    /** One moof + mdat holding the frame, declared to last {@code durationUs} (a live player's hold, see FragmentCache). */
    public byte[] fragment(Frame frame, long durationUs) {
        BoxWriter w = header(frame, durationUs);
        ByteArrayOutputStream out = new ByteArrayOutputStream(w.position() + payloadSize(frame));
        out.write(w.buffer(), 0, w.position());
        writeSamples(frame, out);
        return out.toByteArray();
    }

    /**
     * Appends one moof + mdat holding the frame to {@code out}: the same bytes as {@link #fragment(Frame)},
     * with the frame's data copied once, straight into {@code out} (a muxer that collects fragments, such as
     * LL-HLS's parts, needs no buffer per frame).
     */
    public void fragment(Frame frame, ByteArrayOutputStream out) {
        BoxWriter w = header(frame, frame.durationUs());
        out.write(w.buffer(), 0, w.position());
        writeSamples(frame, out);
    }

    /** The mdat's payload: each NAL unit behind its 4-byte length (avcC's lengthSizeMinusOne is 3), or the audio packet. */
    private static void writeSamples(Frame frame, ByteArrayOutputStream out) {
        if (frame.isVideo()) {
            byte[] length = new byte[4];
            for (byte[] nal : frame.units()) {
                int n = nal.length;
                length[0] = (byte) (n >>> 24);
                length[1] = (byte) (n >>> 16);
                length[2] = (byte) (n >>> 8);
                length[3] = (byte) n;
                out.write(length, 0, 4);
                out.write(nal, 0, n);
            }
        } else {
            byte[] p = frame.packet();
            out.write(p, 0, p.length);
        }
    }

    private static int payloadSize(Frame frame) {
        return frame.isVideo() ? frame.size() + 4 * frame.units().size() : frame.size();
    }

    /** The moof and the mdat's header of one frame; its data follows from {@link #writeSamples}. */
    private BoxWriter header(Frame frame, long durationUs) {
        boolean video = frame.isVideo();
        if (!video && tracks.audio().isEmpty()) {
            throw new IllegalArgumentException("audio frame for a stream without audio");
        }
        int timescale = video ? VIDEO_TIMESCALE : tracks.audio().get().timescale();
        long decodeTime = frame.timeUs() * timescale / 1_000_000;
        long duration = Math.max(1, durationUs * timescale / 1_000_000);
        int payload = payloadSize(frame);

        BoxWriter w = new BoxWriter(128);
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
        return w;
    }

    /** A track with its sample entry and empty sample tables: the samples come in fragments. */
    private void trak(BoxWriter w, boolean audio, Runnable stsd) {
        w.start("trak");
        Mp4Boxes.tkhd(w, audio ? AUDIO_TRACK_ID : VIDEO_TRACK_ID, audio, audio ? 0 : tracks.video().width(),
                audio ? 0 : tracks.video().height(), 0);
        w.start("mdia");
        Mp4Boxes.mdhdHdlr(w, audio ? tracks.audio().get().timescale() : VIDEO_TIMESCALE, 0, audio);
        w.start("minf");
        Mp4Boxes.mediaHeaderAndDinf(w, audio);
        w.start("stbl");
        stsd.run();
        w.startFull("stts", 0, 0).u32(0).end();
        w.startFull("stsc", 0, 0).u32(0).end();
        w.startFull("stsz", 0, 0).u32(0).u32(0).end();
        w.startFull("stco", 0, 0).u32(0).end();
        w.end();
        w.end().end().end();
    }

    private static void trex(BoxWriter w, int id) {
        w.startFull("trex", 0, 0).u32(id).u32(1).u32(0).u32(0).u32(0).end();
    }
}

package io.beeperkeeper.media.mp4;

import io.beeperkeeper.media.Frame;
import io.beeperkeeper.media.MediaKind;
import io.beeperkeeper.media.Tracks;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A progressive ("faststart") MP4 file: {@code ftyp}, then the {@code moov} with the whole sample
 * table, then one {@code mdat}, written in a single forward stream with no seek back, so a clip or a
 * time-lapse costs one sequential write on an SD card and plays in a browser before it has all
 * loaded. The caller adds every sample first (its bytes in memory, or a region of a file on disk so
 * that a day's keyframes need not sit in memory), with its own duration (a time-lapse gives retimed
 * ones), then calls {@link #write}. Nothing is decoded or encoded: H.264 access units are stored as
 * the camera sent them, audio packets likewise.
 *
 * <p>Track 1 is video (timescale 90 kHz), track 2 audio (48 kHz for Opus, the sample rate for AAC),
 * with the same sample entries as {@link Fmp4Muxer}. A track that starts after the movie does
 * (audio that begins a little after the first keyframe) gets an edit list with an empty edit, so
 * the two stay in sync. Samples go into {@code mdat} in the order added (interleave by time for
 * smooth playback); consecutive samples of one track form a chunk. Files past 4 GiB get 64-bit
 * chunk offsets and a large {@code mdat}.
 *
 * <p>Why hand-written: see {@link Fmp4Muxer}; this shares its boxes ({@code Mp4Boxes}). Not thread
 * safe.
 */
public final class Mp4FileWriter {
    /** Where a sample's bytes are when the file is written. */
    public sealed interface SampleData {
        /** Bytes the sample takes in {@code mdat}. */
        long size();
    }

    /** A video access unit as NAL units without start codes; stored with 4-byte length prefixes. */
    public record Nals(List<byte[]> units) implements SampleData {
        public Nals {
            units = List.copyOf(units);
        }

        @Override
        public long size() {
            long n = 0;
            for (byte[] u : units) {
                n += 4L + u.length;
            }
            return n;
        }
    }

    /** Bytes stored as they are (an audio packet, or a video sample already in MP4 form, see {@link #sampleBytes}). */
    public record Bytes(byte[] bytes) implements SampleData {
        @Override
        public long size() {
            return bytes.length;
        }
    }

    /** Bytes stored as they are, read from a file region at write time (MP4 form for video, see {@link #sampleBytes}). */
    public record FileRegion(Path file, long offset, long length) implements SampleData {
        public FileRegion {
            if (offset < 0 || length < 0) {
                throw new IllegalArgumentException("a file region needs a non-negative offset and length");
            }
        }

        @Override
        public long size() {
            return length;
        }
    }

    private record Sample(boolean audio, long durationUs, boolean sync, SampleData data) {
    }

    private final Tracks tracks;
    private final List<Sample> samples = new ArrayList<>();
    private long videoStartUs;
    private long audioStartUs;
    private long mdatPayload;

    public Mp4FileWriter(Tracks tracks) {
        this.tracks = tracks;
    }

    /** A video frame's bytes in MP4 form (each NAL unit after its 4-byte length), e.g. to keep in a file for a {@link FileRegion}. */
    public static byte[] sampleBytes(Frame frame) {
        if (!frame.isVideo()) {
            return frame.packet().clone();
        }
        ByteBuffer b = ByteBuffer.allocate(frame.size() + 4 * frame.units().size());
        for (byte[] u : frame.units()) {
            b.putInt(u.length).put(u);
        }
        return b.array();
    }

    /** The track of this kind starts {@code offsetUs} after the movie does (an empty edit before it). */
    public Mp4FileWriter startAt(MediaKind kind, long offsetUs) {
        if (offsetUs < 0) {
            throw new IllegalArgumentException("a track cannot start before the movie");
        }
        if (kind == MediaKind.VIDEO) {
            videoStartUs = offsetUs;
        } else {
            audioStartUs = offsetUs;
        }
        return this;
    }

    /** Adds a video sample lasting {@code durationUs}; {@code sync} for a keyframe (IDR). */
    public Mp4FileWriter video(long durationUs, boolean sync, SampleData data) {
        return add(false, durationUs, sync, data);
    }

    /** Adds an audio packet lasting {@code durationUs}. */
    public Mp4FileWriter audio(long durationUs, SampleData data) {
        if (tracks.audio().isEmpty()) {
            throw new IllegalArgumentException("audio sample for tracks without audio");
        }
        return add(true, durationUs, true, data);
    }

    /** Adds a frame from the relay as it is, lasting {@code durationUs} (not necessarily its nominal duration). */
    public Mp4FileWriter frame(Frame frame, long durationUs) {
        return frame.isVideo() ? video(durationUs, frame.keyframe(), new Nals(frame.units()))
                : audio(durationUs, new Bytes(frame.packet()));
    }

    private Mp4FileWriter add(boolean audio, long durationUs, boolean sync, SampleData data) {
        if (durationUs < 0) {
            throw new IllegalArgumentException("a sample cannot last less than nothing");
        }
        if (!audio && samples.stream().noneMatch(s -> !s.audio) && !sync) {
            throw new IllegalArgumentException("the video track must start with a keyframe");
        }
        samples.add(new Sample(audio, durationUs, sync, data));
        mdatPayload += data.size();
        return this;
    }

    public int sampleCount() {
        return samples.size();
    }

    /** Bytes of media so far (the file is this plus the boxes around it). */
    public long mediaBytes() {
        return mdatPayload;
    }

    /** The movie's duration: the longer track, with its start offset. */
    public long durationUs() {
        return Math.max(trackUs(false) + (hasVideo() ? videoStartUs : 0), trackUs(true) + (hasAudio() ? audioStartUs : 0));
    }

    /**
     * Writes the whole file to {@code out} in one forward pass (flushed, not closed) and returns its
     * length in bytes. Needs at least one video sample.
     */
    public long write(OutputStream out) throws IOException {
        byte[] head = header();
        OutputStream o = new BufferedOutputStream(out, 64 * 1024);
        o.write(head);
        Map<Path, FileChannel> open = new HashMap<>();
        try {
            byte[] len = new byte[4];
            for (Sample s : samples) {
                if (s.data instanceof Nals n) {
                    for (byte[] u : n.units()) {
                        ByteBuffer.wrap(len).putInt(u.length);
                        o.write(len);
                        o.write(u);
                    }
                } else if (s.data instanceof Bytes b) {
                    o.write(b.bytes());
                } else if (s.data instanceof FileRegion r) {
                    FileChannel in = open.get(r.file());
                    if (in == null) {
                        in = FileChannel.open(r.file(), StandardOpenOption.READ);
                        open.put(r.file(), in);
                    }
                    copy(in, r, o);
                }
            }
        } finally {
            for (FileChannel c : open.values()) {
                c.close();
            }
        }
        o.flush();
        return head.length + mdatPayload;
    }

    /**
     * The bytes {@link #write} puts before the first sample ({@code ftyp}, {@code moov}, the {@code mdat}
     * header): the whole file is these followed by every sample's bytes in the order added, so a caller
     * whose samples already lie one after the other in a file can serve the movie from it as it is.
     */
    public byte[] header() {
        if (!hasVideo()) {
            throw new IllegalStateException("an MP4 clip needs at least one video frame");
        }
        BoxWriter ftyp = new BoxWriter(64);
        Mp4Boxes.ftyp(ftyp, "isom", "iso2", "avc1", "mp41");
        byte[] head = ftyp.toByteArray();
        boolean wide = head.length + moov(0, true).length + 16 + mdatPayload > 0xFFFFFFFFL;
        int mdatHeader = wide ? 16 : 8;
        int moovLength = moov(0, wide).length;
        byte[] moov = moov(head.length + moovLength + mdatHeader, wide);
        BoxWriter mdat = new BoxWriter(16);
        if (wide) {
            mdat.u32(1).fourcc("mdat").u64(16 + mdatPayload);
        } else {
            mdat.u32(8 + mdatPayload).fourcc("mdat");
        }
        byte[] box = mdat.toByteArray();
        byte[] out = new byte[head.length + moov.length + box.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(moov, 0, out, head.length, moov.length);
        System.arraycopy(box, 0, out, head.length + moov.length, box.length);
        return out;
    }

    private static void copy(FileChannel in, FileRegion r, OutputStream o) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(64 * 1024, Math.max(1, r.length())));
        long at = r.offset();
        long left = r.length();
        while (left > 0) {
            buf.clear().limit((int) Math.min(buf.capacity(), left));
            int n = in.read(buf, at);
            if (n < 0) {
                throw new IOException("the sample file " + r.file() + " ends before byte " + (r.offset() + r.length()));
            }
            o.write(buf.array(), 0, n);
            at += n;
            left -= n;
        }
    }

    private boolean hasVideo() {
        return samples.stream().anyMatch(s -> !s.audio);
    }

    private boolean hasAudio() {
        return samples.stream().anyMatch(s -> s.audio);
    }

    private long trackUs(boolean audio) {
        long us = 0;
        for (Sample s : samples) {
            if (s.audio == audio) {
                us += s.durationUs;
            }
        }
        return us;
    }

    private byte[] moov(long dataStart, boolean wide) {
        boolean audio = hasAudio();
        BoxWriter w = new BoxWriter(4096 + samples.size() * 16);
        w.start("moov");
        Mp4Boxes.mvhd(w, durationUs() / 1000, audio ? 3 : 2);
        long[] offsets = chunkOffsets(dataStart);
        trak(w, false, offsets, wide);
        if (audio) {
            trak(w, true, offsets, wide);
        }
        w.end();
        return w.toByteArray();
    }

    /** The file offset of each sample, in the order added. */
    private long[] chunkOffsets(long dataStart) {
        long[] at = new long[samples.size()];
        long pos = dataStart;
        for (int i = 0; i < at.length; i++) {
            at[i] = pos;
            pos += samples.get(i).data.size();
        }
        return at;
    }

    private void trak(BoxWriter w, boolean audio, long[] offsets, boolean wide) {
        int timescale = audio ? tracks.audio().get().timescale() : Mp4Boxes.VIDEO_TIMESCALE;
        long startUs = audio ? audioStartUs : videoStartUs;
        long mediaUs = trackUs(audio);
        w.start("trak");
        Mp4Boxes.tkhd(w, audio ? Mp4Boxes.AUDIO_TRACK_ID : Mp4Boxes.VIDEO_TRACK_ID, audio,
                audio ? 0 : tracks.video().width(), audio ? 0 : tracks.video().height(), (startUs + mediaUs) / 1000);
        if (startUs > 0) {
            w.start("edts").startFull("elst", 0, 0).u32(2);
            w.u32(startUs / 1000).u32(0xFFFFFFFFL).u16(1).u16(0); // empty edit: nothing plays yet
            w.u32(mediaUs / 1000).u32(0).u16(1).u16(0);
            w.end().end();
        }
        w.start("mdia");
        List<Long> ticks = new ArrayList<>();
        long cumulativeUs = 0;
        long previousTick = 0;
        for (Sample s : samples) {
            if (s.audio == audio) {
                cumulativeUs += s.durationUs;
                long tick = Math.round(cumulativeUs * (double) timescale / 1e6);
                ticks.add(Math.max(1, tick - previousTick));
                previousTick = Math.max(tick, previousTick + 1);
            }
        }
        long mediaTicks = ticks.stream().mapToLong(Long::longValue).sum();
        Mp4Boxes.mdhdHdlr(w, timescale, mediaTicks, audio);
        w.start("minf");
        Mp4Boxes.mediaHeaderAndDinf(w, audio);
        w.start("stbl");
        if (audio) {
            Mp4Boxes.stsd(w, tracks.audio().get());
        } else {
            Mp4Boxes.stsd(w, tracks.video());
        }
        stts(w, ticks);
        if (!audio) {
            stss(w);
        }
        chunks(w, audio, offsets, wide);
        w.end();
        w.end().end().end();
    }

    private static void stts(BoxWriter w, List<Long> ticks) {
        List<long[]> runs = new ArrayList<>();
        for (long t : ticks) {
            if (!runs.isEmpty() && runs.get(runs.size() - 1)[1] == t) {
                runs.get(runs.size() - 1)[0]++;
            } else {
                runs.add(new long[] {1, t});
            }
        }
        w.startFull("stts", 0, 0).u32(runs.size());
        for (long[] r : runs) {
            w.u32(r[0]).u32(r[1]);
        }
        w.end();
    }

    /** Sync samples of the video track; left out when every sample is one (all keyframes). */
    private void stss(BoxWriter w) {
        List<Integer> sync = new ArrayList<>();
        int n = 0;
        for (Sample s : samples) {
            if (!s.audio) {
                n++;
                if (s.sync) {
                    sync.add(n);
                }
            }
        }
        if (sync.size() == n) {
            return;
        }
        w.startFull("stss", 0, 0).u32(sync.size());
        for (int i : sync) {
            w.u32(i);
        }
        w.end();
    }

    /** stsc, stsz and stco/co64: each run of consecutive samples of the track is one chunk. */
    private void chunks(BoxWriter w, boolean audio, long[] offsets, boolean wide) {
        List<Long> chunkOffsets = new ArrayList<>();
        List<Integer> perChunk = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        boolean inChunk = false;
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            if (s.audio != audio) {
                inChunk = false;
                continue;
            }
            if (!inChunk) {
                chunkOffsets.add(offsets[i]);
                perChunk.add(0);
                inChunk = true;
            }
            perChunk.set(perChunk.size() - 1, perChunk.get(perChunk.size() - 1) + 1);
            sizes.add(s.data.size());
        }
        List<int[]> runs = new ArrayList<>(); // first chunk (1-based), samples per chunk
        for (int c = 0; c < perChunk.size(); c++) {
            if (runs.isEmpty() || runs.get(runs.size() - 1)[1] != perChunk.get(c)) {
                runs.add(new int[] {c + 1, perChunk.get(c)});
            }
        }
        w.startFull("stsc", 0, 0).u32(runs.size());
        for (int[] r : runs) {
            w.u32(r[0]).u32(r[1]).u32(1);
        }
        w.end();
        w.startFull("stsz", 0, 0).u32(0).u32(sizes.size());
        for (long size : sizes) {
            w.u32(size);
        }
        w.end();
        w.startFull(wide ? "co64" : "stco", 0, 0).u32(chunkOffsets.size());
        for (long at : chunkOffsets) {
            if (wide) {
                w.u64(at);
            } else {
                w.u32(at);
            }
        }
        w.end();
    }
}

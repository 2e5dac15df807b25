package io.beeperkeeper.media.h264;

import io.beeperkeeper.media.Ffmpeg;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class H264ParsingTest {
    static byte[] baseline;
    static List<AccessUnit> units;

    @BeforeAll
    static void encode() throws Exception {
        baseline = Ffmpeg.h264(2, "-preset", "ultrafast", "-tune", "zerolatency");
        units = AnnexBReader.parseAll(baseline);
    }

    @Test
    void splitsTheStreamIntoOneAccessUnitPerPictureWithKeyframes() {
        assertThat(units).hasSize(30);
        assertThat(units.stream().filter(AccessUnit::keyframe).count()).isEqualTo(2);
        assertThat(units.get(0).keyframe()).isTrue();
        assertThat(units.get(0).sps()).isNotNull();
        assertThat(units.get(0).pps()).isNotNull();
        assertThat(units.get(1).sps()).isNull();
        assertThat(units).noneMatch(AccessUnit::hasBSlice);
        for (AccessUnit au : units) {
            for (byte[] nal : au.nals()) {
                assertThat(Nal.type(nal)).isNotIn(Nal.SPS, Nal.PPS, Nal.AUD);
                assertThat(nal[nal.length - 1]).isNotEqualTo((byte) 0);
            }
        }
    }

    @Test
    void readsSizeProfileLevelAndFrameRateFromTheSps() {
        Sps sps = Sps.parse(units.get(0).sps());
        assertThat(sps.width()).isEqualTo(320);
        assertThat(sps.height()).isEqualTo(240);
        assertThat(sps.profileIdc()).isEqualTo(66);
        assertThat(sps.codecString()).startsWith("avc1.42C0");
        assertThat(sps.fps()).isEqualTo(15.0);
    }

    @Test
    void croppedHighProfileSizeIsExact() throws Exception {
        byte[] high = Ffmpeg.h264(1, "-preset", "veryfast", "-bf", "2", "-vf", "scale=318:238");
        List<AccessUnit> aus = AnnexBReader.parseAll(high);
        Sps sps = Sps.parse(aus.get(0).sps());
        assertThat(sps.profileIdc()).isEqualTo(100);
        assertThat(sps.width()).isEqualTo(318);
        assertThat(sps.height()).isEqualTo(238);
        assertThat(sps.maxNumReorderFrames()).isGreaterThan(0);
        assertThat(aus).anyMatch(AccessUnit::hasBSlice);
    }

    @Test
    void rewriteAddsBitstreamRestrictionToAnSpsWithoutVui() {
        byte[] noVui = stripVui(units.get(0).sps());
        Sps before = Sps.parse(noVui);
        assertThat(before.vuiPresent()).isFalse();
        assertThat(before.maxNumReorderFrames()).isEqualTo(-1);

        Sps after = Sps.parse(SpsRewriter.withoutReordering(noVui));
        assertThat(after.vuiPresent()).isTrue();
        assertThat(after.maxNumReorderFrames()).isZero();
        assertThat(after.maxDecFrameBuffering()).isGreaterThanOrEqualTo(before.maxNumRefFrames());
        assertThat(after).extracting(Sps::width, Sps::height, Sps::codecString)
                .containsExactly(before.width(), before.height(), before.codecString());
    }

    @Test
    void rewritePatchesAnExistingVuiAndKeepsItsTimingInfo() throws Exception {
        byte[] high = Ffmpeg.h264(1, "-preset", "veryfast", "-bf", "0");
        byte[] sps = AnnexBReader.parseAll(high).get(0).sps();
        Sps before = Sps.parse(sps);
        Sps after = Sps.parse(SpsRewriter.withoutReordering(stripRestrictionOrKeep(sps)));
        assertThat(after.maxNumReorderFrames()).isZero();
        assertThat(after.fps()).isEqualTo(before.fps());
        assertThat(after.width()).isEqualTo(320);
    }

    @Test
    void ffmpegDecodesEveryFrameOfAStreamWithTheRewrittenSps() throws Exception {
        byte[] rewritten = SpsRewriter.withoutReordering(stripVui(units.get(0).sps()));
        List<byte[]> nals = new ArrayList<>();
        for (AccessUnit au : units) {
            if (au.keyframe()) {
                nals.add(rewritten);
                nals.add(au.pps());
            }
            nals.addAll(au.nals());
        }
        byte[] stream = AnnexBReader.toAnnexB(nals);
        Ffmpeg.Result decode = Ffmpeg.run(stream, "ffmpeg", "-hide_banner", "-v", "error", "-f", "h264", "-i", "pipe:0",
                "-f", "framemd5", "pipe:1");
        assertThat(decode.exit()).isZero();
        assertThat(decode.stderr()).isEmpty();
        assertThat(decode.stdout().lines().filter(l -> !l.startsWith("#")).count()).isEqualTo(30);
        // Same pictures as the original stream, bit for bit.
        Ffmpeg.Result original = Ffmpeg.run(baseline, "ffmpeg", "-hide_banner", "-v", "error", "-f", "h264", "-i", "pipe:0",
                "-f", "framemd5", "pipe:1");
        assertThat(hashes(decode.stdout())).isEqualTo(hashes(original.stdout()));

        Ffmpeg.Result trace = Ffmpeg.run(stream, "ffmpeg", "-hide_banner", "-f", "h264", "-i", "pipe:0", "-frames:v", "1",
                "-c", "copy", "-bsf:v", "trace_headers", "-f", "null", "-");
        assertThat(trace.stderr()).contains("bitstream_restriction_flag").containsPattern("max_num_reorder_frames\\s+1 = 0");
    }

    private static List<String> hashes(String framemd5) {
        return framemd5.lines().filter(l -> !l.startsWith("#")).map(l -> l.substring(l.lastIndexOf(',') + 1).trim()).toList();
    }

    /** An SPS as hardware encoders write it: the same fields, no VUI at all. */
    static byte[] stripVui(byte[] sps) {
        Sps.Layout layout = Sps.parseWithLayout(sps);
        BitWriter w = new BitWriter();
        w.copy(layout.rbsp(), 0, layout.vuiFlagPos());
        w.u1(0);
        return Nal.escape(w.finishRbsp());
    }

    /** The SPS with its VUI but bitstream_restriction_flag cleared. */
    static byte[] stripRestrictionOrKeep(byte[] sps) {
        Sps.Layout layout = Sps.parseWithLayout(sps);
        if (layout.bitstreamRestrictionFlagPos() < 0) {
            return sps;
        }
        BitWriter w = new BitWriter();
        w.copy(layout.rbsp(), 0, layout.bitstreamRestrictionFlagPos());
        w.u1(0);
        byte[] out = Nal.escape(w.finishRbsp());
        assertThat(Sps.parse(out).maxNumReorderFrames()).isEqualTo(-1);
        return out;
    }
}
